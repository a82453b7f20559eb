using System.CommandLine;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;
using Rewind.Core.Storage;
using Rewind.Runtime.Backups;
using Rewind.Server.Hosting;
using Rewind.Storage;
using Spectre.Console;

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

    /// <summary>
    /// Records a verification or restore drill run by hand in the store of the config, as the schedule records its own,
    /// so the backup signals (<c>backup.verify-failing</c>, <c>backup.full-verify-age</c>) follow it. A store that cannot
    /// be reached is said, and does not change the command's outcome: the verification itself was done.
    /// </summary>
    public static async Task RecordAsync(CliContext context, string configPath, BackupRun run, CancellationToken cancellationToken)
    {
        var loaded = await ConfigFile.LoadAsync(configPath, cancellationToken);
        var store = loaded.Config!.Store;
        try
        {
            await using var opened = (IAsyncDisposable)StoreFactory.Open(store);
            var records = (IStore)opened;
            await records.MigrateAsync(cancellationToken);
            await records.RecordBackupRunAsync(run, cancellationToken);
            context.Console.MarkupLine($"recorded as a {(run.Kind == BackupRun.Drill ? "restore drill" : "verification")} of {Markup.Escape(run.Component)} in the store: the backup signals count it");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await context.Error.WriteLineAsync($"warning: not recorded: cannot write to the store {Redaction.Url(store)}: {ex.Message}; the backup signals do not count this run");
        }
    }

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
