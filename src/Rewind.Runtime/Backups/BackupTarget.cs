using System.Globalization;
using Npgsql;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Backups;

/// <summary>
/// The backup engine for one configured component: its repository (with compression and key), and for a
/// <c>postgres</c> component the cluster's connection, data directory and tools.
/// </summary>
public sealed partial class BackupTarget
{
    private BackupTarget(string component, BackupsConfig config, BackupRepository repository, PostgresProviderConfig? postgres)
    {
        Component = component;
        Config = config;
        Repository = repository;
        Postgres = postgres;
        Tools = postgres is null ? null : new PostgresToolOptions(postgres.Bin ?? NewestBin()) { RunAsUser = postgres.RunAs };
    }

    public string Component { get; }

    public BackupsConfig Config { get; }

    public BackupRepository Repository { get; }

    public PostgresProviderConfig? Postgres { get; }

    public PostgresToolOptions? Tools { get; }

    /// <summary>The provider's URL as written: libpq reads it as is (<c>pg_basebackup -d</c>).</summary>
    public string Url => Postgres?.Url ?? throw new InvalidOperationException($"{Component} has no postgres provider");

    /// <summary>The cluster's connection string for Npgsql (restore points, checks).</summary>
    public string ConnectionString => PostgresUrl.TryParse(Postgres?.Url, out var url)
        ? url.WriteTo(new NpgsqlConnectionStringBuilder()).ConnectionString
        : throw new InvalidOperationException($"{Component} has no postgres provider");

    /// <summary>
    /// The declared validation queries (those on the provider's database) as checks that return true when they hold:
    /// <c>SELECT (sql) &gt; 0</c>, or a text comparison for a literal.
    /// </summary>
    public IReadOnlyList<string> CheckQueries() =>
        [.. Config.Verify.Queries.Where(q => q.Database is null).Select(q => ExpectedValue.TryParse(q.Expect, out var e) && e is { Operator: not "is" }
            ? $"SELECT ({q.Sql}) {e.Operator} {e.Operand}"
            : $"SELECT ({q.Sql})::text = '{q.Expect.Trim().Replace("'", "''", StringComparison.Ordinal)}'")];

    /// <summary>
    /// The argv PostgreSQL's <c>restore_command</c> runs to fetch one WAL file (<c>%f "%p"</c> are appended): this very
    /// program (under <c>dotnet</c> when started so), <c>wal fetch</c>, the component and the absolute config path.
    /// </summary>
    public IReadOnlyList<string> FetchCommand(string configPath)
    {
        var process = Environment.ProcessPath ?? "rewind";
        List<string> argv = Path.GetFileNameWithoutExtension(process) == "dotnet" && Environment.GetCommandLineArgs() is [var entry, ..] ? [process, entry] : [process];
        argv.AddRange(["wal", "fetch", Component, "--config", Path.GetFullPath(configPath)]);
        return argv;
    }

    /// <summary>Applies <c>backups.retention</c> to the repository (<see cref="BackupExpiry"/>).</summary>
    public Task<ExpiryResult> ExpireAsync(bool dryRun = false, CancellationToken cancellationToken = default) =>
        new BackupExpiry(Repository).ExpireAsync(Config.Retention.Count, Config.Retention.Age, dryRun, cancellationToken);

    /// <summary>
    /// A restore drill (full verification): the newest state restored into a scratch directory under the temp
    /// directory, the declared queries run on it, RTO and RPO measured, the scratch directory removed.
    /// </summary>
    public async Task<RestoreDrillResult> DrillAsync(string configPath, CancellationToken cancellationToken = default)
    {
        var tools = Tools ?? throw new InvalidOperationException($"{Component} is not a postgres component: a restore drill needs a cluster's backups");
        var scratch = Path.Combine(Path.GetTempPath(), $"rewind-drill-{Component}-{Guid.NewGuid():N}");
        try
        {
            var request = new RestoreDrillRequest(scratch, FetchCommand(configPath)) { VerificationQueries = CheckQueries(), ConnectionString = CheckConnectionString() };
            return await new RestoreDrill(new PointInTimeRestore(Repository, tools)).RunAsync(request, cancellationToken);
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>User, password and database for the checks on a restored server; the restore sets host and port.</summary>
    public string CheckConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return new NpgsqlConnectionStringBuilder { Username = builder.Username, Password = builder.Password, Database = builder.Database }.ConnectionString;
    }

    /// <summary>The engine for <paramref name="name"/>, or why there is none (no backups declared, an unreadable key).</summary>
    public static (BackupTarget? Target, string? Error) From(RewindConfig config, string name)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.Components.TryGetValue(name, out var component))
        {
            return (null, $"component {name} is not in the config");
        }

        if (component.Backups is not { } backups)
        {
            return (null, $"{name} declares no backups (components.{name}.backups)");
        }

        BackupKey? key = null;
        if (backups.Encryption is { } encryption)
        {
            var loaded = BackupKey.Load(encryption.KeyFile);
            if (loaded.Key is null)
            {
                return (null, loaded.Error);
            }

            key = loaded.Key;
        }

        var (objectStorage, secretError) = ObjectStorageOf(backups.S3, Environment.GetEnvironmentVariable);
        if (secretError is not null)
        {
            return (null, $"{name}: backups.s3: {secretError}");
        }

        var options = new BackupRepositoryOptions(backups.Repository)
        {
            Compression = backups.Compression == "none" ? StoredCompression.None : StoredCompression.Gzip,
            Key = key,
            ObjectStorage = objectStorage,
        };
        return (new BackupTarget(name, backups, new BackupRepository(options), component.Provider.Postgres), null);
    }

    /// <summary>
    /// The object storage options of <c>backups.s3</c>, its <c>{{secret.NAME}}</c> credentials read from
    /// <paramref name="environment"/>; or why not (a variable unset: named, its value never).
    /// </summary>
    public static (ObjectStorageOptions? Options, string? Error) ObjectStorageOf(S3Config? s3, Func<string, string?> environment)
    {
        if (s3 is null)
        {
            return (null, null);
        }

        try
        {
            return (new ObjectStorageOptions
            {
                Endpoint = s3.Endpoint,
                Region = s3.Region,
                AccessKey = s3.AccessKey is null ? null : Core.Runbooks.PlanTemplate.RenderCall(s3.AccessKey, null, environment),
                SecretKey = s3.SecretKey is null ? null : Core.Runbooks.PlanTemplate.RenderCall(s3.SecretKey, null, environment),
                WorkDirectory = s3.WorkDirectory,
            }, null);
        }
        catch (InvalidOperationException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> (Debian's layout).</summary>
    public static string NewestBin() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(d => (Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
            .Where(c => c.Version >= 0 && Directory.Exists(c.Bin))
            .OrderBy(c => c.Version)
            .Select(c => c.Bin)
            .LastOrDefault() ?? "/usr/lib/postgresql/15/bin";
}
