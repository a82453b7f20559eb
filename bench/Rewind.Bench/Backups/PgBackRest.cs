using System.Text.Json;

namespace Rewind.Bench.Backups;

/// <summary>
/// Debian's pgBackRest on the source cluster: one stanza <c>bench</c>, a repository in a temp directory, its config
/// file passed with <c>--config</c>; gz at level 1 (Rewind's default level) and process-max 2, no encryption.
/// </summary>
internal sealed class PgBackRest
{
    public const string Stanza = "bench";
    public const string Program = "/usr/bin/pgbackrest";
    public const int CompressLevel = 1;
    public const int ProcessMax = 2;

    private PgBackRest(string root) => Root = root;

    public string Root { get; }

    public string ConfigFile => Path.Combine(Root, "pgbackrest.conf");

    public string Repository => Path.Combine(Root, "repo");

    /// <summary>The archive_command part that pushes <c>%p</c> (PostgreSQL runs it through /bin/sh: no quotes needed in these paths).</summary>
    public string ArchivePush => $"{Program} --config={ConfigFile} --stanza={Stanza} archive-push %p";

    /// <summary>Writes the config (the source's port is set later, by <see cref="ConfigureAsync"/>).</summary>
    public static async Task<PgBackRest> PrepareAsync(string parent)
    {
        var root = await Pg.DirectoryAsync(parent, "pgbackrest");
        foreach (var folder in new[] { "repo", "lock", "log" })
        {
            await Pg.DirectoryAsync(root, folder);
        }

        return new PgBackRest(root);
    }

    /// <summary>The config for the running source, then <c>stanza-create</c>.</summary>
    public async Task ConfigureAsync(SourceDatabase source)
    {
        await File.WriteAllTextAsync(ConfigFile, Pg.F($"""
            [global]
            repo1-path={Repository}
            compress-type=gz
            compress-level={CompressLevel}
            process-max={ProcessMax}
            start-fast=y
            lock-path={Path.Combine(Root, "lock")}
            log-path={Path.Combine(Root, "log")}
            log-level-console=warn
            log-level-file=off

            [{Stanza}]
            pg1-path={source.DataDirectory}
            pg1-port={source.Server.Port}
            pg1-socket-path={source.SocketDirectory}

            """));
        await Pg.GiveAsync(ConfigFile);
        await RunAsync("stanza-create");
    }

    /// <summary><c>pgbackrest backup --type=full</c> (or <c>incr</c>: only files changed since the previous backup, by size, time and checksum).</summary>
    public Task<Rewind.Runtime.Processes.ProcessResult> BackupAsync(string type = "full") => RunAsync("backup", $"--type={type}");

    /// <summary>
    /// <c>pgbackrest restore --type=time</c> of backup <paramref name="set"/> into <paramref name="dataDirectory"/> (an
    /// empty directory of postgres'); the set named, so the choice never depends on pgBackRest's version.
    /// </summary>
    public Task<Rewind.Runtime.Processes.ProcessResult> RestoreAsync(string dataDirectory, string targetTime, string set) =>
        RunAsync($"--pg1-path={dataDirectory}", "--type=time", $"--target={targetTime}", "--target-action=promote", $"--set={set}", "restore");

    /// <summary>The stanza's backups from <c>pgbackrest info --output=json</c>: label, type, bytes the repository gained for each.</summary>
    public async Task<IReadOnlyList<(string Label, string Type, long RepositoryDelta)>> InfoAsync()
    {
        var output = (await RunAsync("--output=json", "info")).Output;
        using var document = JsonDocument.Parse(output[output.IndexOf('[', StringComparison.Ordinal)..(output.LastIndexOf(']') + 1)]); // a warning on stderr may be interleaved
        return [.. document.RootElement[0].GetProperty("backup").EnumerateArray().Select(backup => (
            backup.GetProperty("label").GetString()!,
            backup.GetProperty("type").GetString()!,
            backup.GetProperty("info").GetProperty("repository").GetProperty("delta").GetInt64()))];
    }

    private Task<Rewind.Runtime.Processes.ProcessResult> RunAsync(params string[] arguments) =>
        Pg.RunAsync(Pg.Command(Program, [$"--config={ConfigFile}", $"--stanza={Stanza}", .. arguments]));
}
