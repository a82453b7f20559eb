namespace Rewind.Runtime.Backups;

/// <summary>Logical dumps, file backups and verification requests for the configured component, shared by the CLI and the controller.</summary>
public sealed partial class BackupTarget
{
    /// <summary>The databases dumped: <c>logical.databases</c>, else the provider URL's database.</summary>
    public IReadOnlyList<string> DumpDatabases =>
        Config.Logical is { Databases.Count: > 0 } logical ? logical.Databases : [new ClusterConnection(Url).DefaultDatabase];

    /// <summary>
    /// Whether the repository must hold base backups (and fresh WAL): a postgres component, unless it declares logical
    /// dumps and no base-backup schedule.
    /// </summary>
    public bool ExpectsBaseBackups => Postgres is not null && (Config.Schedule is not null || Config.Logical is null);

    /// <summary>A quick verification of the repository (or of one set) with this component's limits.</summary>
    public VerificationRequest Verification(string? setId = null) => new()
    {
        SetId = setId,
        MaxWalAge = ExpectsBaseBackups ? Config.MaxAge : null,
        RequireBaseBackup = ExpectsBaseBackups,
    };

    /// <summary>A logical dump set of <paramref name="databases"/> (default <see cref="DumpDatabases"/>).</summary>
    public Task<LogicalDumpResult> DumpAsync(IReadOnlyList<string>? databases = null, CancellationToken cancellationToken = default) =>
        Tools is { } tools
            ? new LogicalDump(Repository, tools).RunAsync(new LogicalDumpRequest(Url, databases ?? DumpDatabases), cancellationToken)
            : Task.FromResult(new LogicalDumpResult(false, $"{Component} is not a postgres component: logical dumps need a cluster", null));

    /// <summary>A file backup set of <c>files.paths</c>.</summary>
    public Task<FileBackupResult> BackUpFilesAsync(CancellationToken cancellationToken = default) =>
        Config.Files is { Paths.Count: > 0 } files
            ? new FileBackup(Repository).RunAsync(new FileBackupRequest(files.Paths), cancellationToken)
            : Task.FromResult(new FileBackupResult(false, $"{Component} declares no paths to back up (components.{Component}.backups.files.paths)", null));

    /// <summary>The restorer of this component's dumps, or <see langword="null"/> when it is not a postgres component.</summary>
    public DumpRestore? DumpRestore() => Tools is { } tools ? new DumpRestore(Repository, tools) : null;

    /// <summary>The dumped database a restore uses by default: the provider URL's.</summary>
    public string DefaultDatabase => new ClusterConnection(Url).DefaultDatabase;
}
