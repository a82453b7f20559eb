using System.CommandLine;
using Rewind.Runtime.Backups;
using Rewind.Server.Hosting;

namespace Rewind.Cli.Commands;

/// <summary>
/// What the backup and WAL commands share: they run on the database's host, read the config file (not the API), and
/// work on the repository of one component.
/// </summary>
internal static class BackupContext
{
    public static Option<string> ConfigOption() => new("--config", "-c")
    {
        Description = "The config file (default: $REWIND_CONFIG, else rewind.yaml)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("REWIND_CONFIG") is { Length: > 0 } path ? path : "rewind.yaml",
    };

    public static Argument<string> ComponentArgument() => new("component") { Description = "The component whose backups to use (components.NAME.backups)" };

    /// <summary>The engine for the component, or the exit code after saying why not.</summary>
    public static async Task<(BackupTarget? Target, int Exit)> LoadAsync(CliContext context, string configPath, string component, CancellationToken cancellationToken)
    {
        var loaded = await ConfigFile.LoadAsync(configPath, cancellationToken);
        if (!loaded.IsValid)
        {
            foreach (var error in loaded.Errors)
            {
                await context.Error.WriteLineAsync(error.ToString());
            }

            return (null, ExitCodes.Invalid);
        }

        var (target, why) = BackupTarget.From(loaded.Config!, component);
        if (target is null)
        {
            await context.Error.WriteLineAsync($"error: {why}");
            return (null, ExitCodes.Invalid);
        }

        return (target, ExitCodes.Ok);
    }
}
