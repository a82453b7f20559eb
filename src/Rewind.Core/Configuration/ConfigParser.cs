namespace Rewind.Core.Configuration;

/// <summary>
/// Turns the text of <c>rewind.yaml</c> into a validated config, or into every error with file, line and column. Text
/// past <see cref="ConfigLimits"/> or with a YAML syntax error is one error: nothing after it can be read.
/// </summary>
public static class ConfigParser
{
    public static ConfigResult Parse(string text, string file, string baseDirectory)
    {
        if (!YamlReader.TryRead(text, file, out var root, out var error))
        {
            return new ConfigResult(null, [error]);
        }

        var positions = new ConfigPositions();
        var binder = new YamlBinder(file, positions);
        var config = binder.BindRoot<RewindConfig>(root);
        config.BaseDirectory = baseDirectory;
        ConfigDefaults.Apply(config);
        var errors = binder.Errors.Concat(ConfigValidator.Validate(config, file, positions))
            .OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
        if (errors.Count > 0)
        {
            return new ConfigResult(null, errors);
        }

        if (config.Server.Tls is { } tls)
        {
            tls.CertificatePosition = Position(file, positions, tls, "certificate");
            tls.KeyPosition = Position(file, positions, tls, "key");
        }

        config.SourceFile = file;
        RestartSettings.Locate(config, file, positions);
        ConfigPaths.Resolve(config);
        return new ConfigResult(config, []);
    }

    private static ConfigPosition Position(string file, ConfigPositions positions, object owner, string key)
    {
        var mark = positions.Of(owner, key);
        return new ConfigPosition(file, (int)mark.Line, (int)mark.Column);
    }
}
