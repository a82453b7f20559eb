using System.CommandLine;
using Rewind.Runtime.Backups;

namespace Rewind.Cli.Commands;

/// <summary>
/// <c>rewind wal push</c> (PostgreSQL's <c>archive_command</c>) and <c>rewind wal fetch</c> (its <c>restore_command</c>).
/// Their exit codes are what PostgreSQL reads: 0 done; push 1 (PostgreSQL retries); fetch 1 "not in the archive" (the
/// normal end of recovery) and 255 for a file that is there but unreadable (recovery stops rather than end early).
/// </summary>
internal static class WalCommands
{
    public static Command Create(CliContext context)
    {
        var push = new Command("push", "Archive one WAL file into the component's repository (archive_command = 'rewind wal push COMPONENT -c CONFIG %p %f').");
        var config = BackupContext.ConfigOption();
        var component = BackupContext.ComponentArgument();
        var source = new Argument<string>("path") { Description = "The file to archive (%p)" };
        var name = new Argument<string>("name") { Description = "Its WAL file name (%f)" };
        push.Add(component);
        push.Add(source);
        push.Add(name);
        push.Add(config);
        push.SetAction(async (parse, cancellationToken) =>
        {
            var (target, exit) = await BackupContext.LoadAsync(context, parse.GetValue(config)!, parse.GetValue(component)!, cancellationToken);
            if (target is null)
            {
                return exit;
            }

            var result = await new WalArchive(target.Repository).PushAsync(parse.GetValue(source)!, parse.GetValue(name)!, cancellationToken);
            await (result.Succeeded ? context.Output : context.Error).WriteLineAsync(result.Message);
            return result.ExitCode;
        });

        var fetch = new Command("fetch", "Restore one archived WAL file (restore_command = 'rewind wal fetch COMPONENT -c CONFIG %f \"%p\"'); exit 1 when it is not in the archive.");
        var fetchConfig = BackupContext.ConfigOption();
        var fetchComponent = BackupContext.ComponentArgument();
        var fetchName = new Argument<string>("name") { Description = "The WAL file name (%f)" };
        var destination = new Argument<string>("path") { Description = "Where to write it (%p)" };
        fetch.Add(fetchComponent);
        fetch.Add(fetchName);
        fetch.Add(destination);
        fetch.Add(fetchConfig);
        fetch.SetAction(async (parse, cancellationToken) =>
        {
            var (target, _) = await BackupContext.LoadAsync(context, parse.GetValue(fetchConfig)!, parse.GetValue(fetchComponent)!, cancellationToken);
            if (target is null)
            {
                return WalFetchResult.HardFailureExitCode; // a broken config must stop recovery, not end it early
            }

            var result = await new WalArchive(target.Repository).FetchAsync(parse.GetValue(fetchName)!, parse.GetValue(destination)!, cancellationToken);
            await (result.Succeeded ? context.Output : context.Error).WriteLineAsync(result.Message);
            return result.ExitCode;
        });

        return new Command("wal", "Continuous WAL archiving for a postgres component: archive_command and restore_command.") { push, fetch };
    }
}
