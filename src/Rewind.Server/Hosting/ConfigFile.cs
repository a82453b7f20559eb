using Rewind.Core.Configuration;

namespace Rewind.Server.Hosting;

/// <summary>Reads a config file from disk and parses it; a missing file is an error with a position like any other.</summary>
public static class ConfigFile
{
    public static async Task<ConfigResult> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return new ConfigResult(null, [new ConfigError(path, 1, 1, "file not found")]);
        }

        var text = await File.ReadAllTextAsync(full, cancellationToken);
        return ConfigParser.Parse(text, path, Path.GetDirectoryName(full)!);
    }
}
