namespace Rewind.Core.Configuration;

/// <summary>Resolves relative paths against the config file's directory, so a config means the same from any working directory.</summary>
internal static class ConfigPaths
{
    public static void Resolve(RewindConfig config)
    {
        if (config.Store.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            config.Store = "sqlite:" + Path.GetFullPath(config.Store["sqlite:".Length..], config.BaseDirectory);
        }

        foreach (var component in config.Components.Values)
        {
            if (component.Provider.ReleaseDir is { } releaseDir)
            {
                releaseDir.Path = Path.GetFullPath(releaseDir.Path, config.BaseDirectory);
                if (releaseDir.Restart.Count > 0 && (releaseDir.Restart[0].StartsWith("./", StringComparison.Ordinal) || releaseDir.Restart[0].StartsWith("../", StringComparison.Ordinal)))
                {
                    releaseDir.Restart[0] = Path.GetFullPath(releaseDir.Restart[0], config.BaseDirectory);
                }
            }
        }

        foreach (var channel in config.Notifications.Channels.Values)
        {
            if (channel.Command is { Argv: [var first, ..] } command && (first.StartsWith("./", StringComparison.Ordinal) || first.StartsWith("../", StringComparison.Ordinal)))
            {
                command.Argv[0] = Path.GetFullPath(first, config.BaseDirectory);
            }
        }
    }
}
