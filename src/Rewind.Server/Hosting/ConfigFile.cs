using System.Text;
using Rewind.Core.Configuration;

namespace Rewind.Server.Hosting;

/// <summary>Reads a config file from disk and parses it; a missing or oversized file is an error with a position like any other.</summary>
public static class ConfigFile
{
    public static async Task<ConfigResult> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return new ConfigResult(null, [new ConfigError(path, 1, 1, "file not found")]);
        }

        var text = await ReadAsync(full, cancellationToken);
        if (text is null)
        {
            var size = new FileInfo(full).Length;
            return new ConfigResult(null, [ConfigLimits.TooLarge(path, size > ConfigLimits.MaxBytes ? size : null)]);
        }

        return ConfigParser.Parse(text, path, Path.GetDirectoryName(full)!);
    }

    /// <summary>The file's text, or null past <see cref="ConfigLimits.MaxBytes"/>: never more than the limit is held, even from a pipe.</summary>
    private static async Task<string?> ReadAsync(string full, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true);
        if (file.CanSeek && file.Length > ConfigLimits.MaxBytes)
        {
            return null;
        }

        using var bytes = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (bytes.Length + read > ConfigLimits.MaxBytes)
            {
                return null;
            }

            bytes.Write(buffer, 0, read);
        }

        bytes.Position = 0;
        using var reader = new StreamReader(bytes, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
