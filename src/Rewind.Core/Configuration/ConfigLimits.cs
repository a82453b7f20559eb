using System.Globalization;

namespace Rewind.Core.Configuration;

/// <summary>
/// What a config file may be, so a broken or hostile file is an error with a position instead of a crash or a hang.
/// Real configs are kilobytes (10,000 components of one probe and one policy each are about 3 MiB), nest about ten levels deep and use aliases, if at all, to share a block or two.
/// </summary>
public static class ConfigLimits
{
    /// <summary>The largest config file read: 16 MiB (some 50,000 components). A larger one is refused before it is read.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>The deepest nesting of mappings and lists, aliases followed: 64 levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>How many nodes aliases may add to the config when they are followed: 100,000.</summary>
    public const int MaxAliasNodes = 100_000;

    /// <summary>The error for a file over <see cref="MaxBytes"/>; <paramref name="bytes"/> is null when its size is not known (a pipe).</summary>
    public static ConfigError TooLarge(string file, long? bytes)
    {
        // Rounded up, so a file just over the limit never reads as "16 MiB, larger than the 16 MiB limit".
        var size = bytes is { } known ? Math.Ceiling(known * 10.0 / (1024 * 1024)) / 10 : (double?)null;
        var what = size is null ? "config is" : $"config is {size.Value.ToString("0.#", CultureInfo.InvariantCulture)} MiB,";
        return new ConfigError(file, 1, 1, $"{what} larger than the {MaxBytes / (1024 * 1024)} MiB limit");
    }
}
