using System.Globalization;
using Npgsql;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Backups;

/// <summary>
/// The backup engine for one configured component: its repository (with compression and key), and for a
/// <c>postgres</c> component the cluster's connection, data directory and tools.
/// </summary>
public sealed class BackupTarget
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

        var options = new BackupRepositoryOptions(backups.Repository)
        {
            Compression = backups.Compression == "none" ? StoredCompression.None : StoredCompression.Gzip,
            Key = key,
        };
        return (new BackupTarget(name, backups, new BackupRepository(options), component.Provider.Postgres), null);
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
