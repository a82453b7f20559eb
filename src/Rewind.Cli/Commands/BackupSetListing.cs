using System.Globalization;
using Rewind.Core.Configuration;
using Rewind.Runtime.Backups;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary>The dump sets and file sets of <c>rewind backup list</c>, each a table when the repository holds any.</summary>
internal static class BackupSetListing
{
    public static async Task WriteAsync(CliContext context, BackupRepository repository, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dumps = await repository.ListDumpsAsync(cancellationToken);
        if (dumps.Count > 0)
        {
            var table = new Table().AddColumns("dump", "taken", "age", "databases", "size", "stored", "encrypted");
            foreach (var dump in dumps)
            {
                table.AddRow(dump.SetId, Taken(dump.Finished), Durations.Format(now - dump.Finished), Markup.Escape(string.Join(", ", dump.Databases)), BackupCommands.Size(dump.TotalSize), BackupCommands.Size(dump.TotalStoredSize), dump.KeyId is null ? "no" : "yes");
            }

            context.Console.Write(table);
        }

        var fileSets = await repository.ListFileSetsAsync(cancellationToken);
        if (fileSets.Count > 0)
        {
            var table = new Table().AddColumns("file set", "taken", "age", "paths", "files", "size", "stored", "encrypted");
            foreach (var set in fileSets)
            {
                table.AddRow(set.SetId, Taken(set.Finished), Durations.Format(now - set.Finished), Markup.Escape(string.Join(", ", set.Paths)), set.Files.Count.ToString(CultureInfo.InvariantCulture), BackupCommands.Size(set.TotalSize), BackupCommands.Size(set.TotalStoredSize), set.KeyId is null ? "no" : "yes");
            }

            context.Console.Write(table);
        }
    }

    private static string Taken(DateTimeOffset finished) => Output.Render.Time(finished);
}
