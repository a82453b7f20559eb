using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rewind.Core.Configuration;

/// <summary>Turns the text of <c>rewind.yaml</c> into a validated config, or into every error with file, line and column.</summary>
public static class ConfigParser
{
    public static ConfigResult Parse(string text, string file, string baseDirectory)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            return new ConfigResult(null, [new ConfigError(file, (int)ex.Start.Line, (int)ex.Start.Column, "YAML syntax: " + message)]);
        }

        if (stream.Documents.Count == 0)
        {
            return new ConfigResult(null, [new ConfigError(file, 1, 1, "the file is empty")]);
        }

        var positions = new ConfigPositions();
        var binder = new YamlBinder(file, positions);
        var config = binder.BindRoot<RewindConfig>(stream.Documents[0].RootNode);
        config.BaseDirectory = baseDirectory;
        ConfigDefaults.Apply(config);
        var errors = binder.Errors.Concat(ConfigValidator.Validate(config, file, positions))
            .OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
        if (errors.Count > 0)
        {
            return new ConfigResult(null, errors);
        }

        ConfigPaths.Resolve(config);
        return new ConfigResult(config, []);
    }
}
