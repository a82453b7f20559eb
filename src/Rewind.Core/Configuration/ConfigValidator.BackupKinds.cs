namespace Rewind.Core.Configuration;

/// <summary>Checks of the kinds of backup a component declares: what needs a <c>postgres</c> provider, logical dumps, file backups.</summary>
internal static partial class ConfigValidator
{
    private const string FilesOnly = "a component that is not postgres can back up files only (backups.files)";

    private static void ValidateBackupKinds(string at, bool postgres, BackupsConfig backups, Action<object, string?, string> add)
    {
        if (!postgres)
        {
            RefuseOnNonPostgres(at, backups, add);
        }

        ValidateIncremental(at, backups, add);
        if (backups.Logical is { } logical)
        {
            ValidateCron($"{at}.logical.schedule", logical, "schedule", logical.Schedule, add);
            if (logical.Databases.Any(d => !Backups.PostgresNames.IsDatabase(d)) || logical.Databases.Distinct(StringComparer.Ordinal).Count() != logical.Databases.Count)
            {
                add(logical, "databases", $"{at}.logical.databases: database names (letters, digits, '_', '-', '.'), none repeated; leave it out for the provider's database");
            }
        }

        if (backups.Files is not { } files)
        {
            return;
        }

        ValidateCron($"{at}.files.schedule", files, "schedule", files.Schedule, add);
        if (files.Paths.Count == 0 || files.Paths.Any(string.IsNullOrWhiteSpace) || files.Paths.Distinct(StringComparer.Ordinal).Count() != files.Paths.Count)
        {
            add(files, "paths", $"{at}.files.paths: at least one directory or file, none empty or repeated");
        }
        else if (!string.IsNullOrWhiteSpace(backups.Repository) && files.Paths.FirstOrDefault(p => Overlaps(p, backups.Repository)) is { } overlapping)
        {
            add(files, "paths", $"{at}.files.paths: '{overlapping}' and the repository overlap (a backup would copy itself); keep the repository outside every path");
        }
    }

    /// <summary>
    /// An incremental schedule is a cron expression; the chain cap is not negative; and a chain must end somewhere (full
    /// backups scheduled, or a cap), or retention could never expire anything.
    /// </summary>
    private static void ValidateIncremental(string at, BackupsConfig backups, Action<object, string?, string> add)
    {
        if (backups.Incremental is not { } incremental)
        {
            return;
        }

        if (incremental.Schedule is null)
        {
            add(incremental, null, $"{at}.incremental.schedule: required: when incremental backups are taken (Quartz cron, UTC)");
        }

        ValidateCron($"{at}.incremental.schedule", incremental, "schedule", incremental.Schedule, add);
        if (incremental.MaxChain < 0)
        {
            add(incremental, "max-chain", $"{at}.incremental.max-chain: 0 (no limit) or more incrementals after a full set");
        }
        else if (incremental.MaxChain == 0 && backups.Schedule is null && incremental.Schedule is not null)
        {
            add(incremental, "schedule", $"{at}.incremental: without backups.schedule every incremental would extend one chain forever and retention could never remove it; schedule full backups (backups.schedule) or cap the chain (incremental.max-chain)");
        }
    }

    /// <summary>Base backups, WAL, logical dumps and restore drills need a cluster; any component may copy files.</summary>
    private static void RefuseOnNonPostgres(string at, BackupsConfig backups, Action<object, string?, string> add)
    {
        if (backups.Schedule is not null)
        {
            add(backups, "schedule", $"{at}.schedule: base backups need a postgres component (provider postgres); {FilesOnly}");
        }

        if (backups.Incremental is not null)
        {
            add(backups, "incremental", $"{at}.incremental: incremental base backups need a postgres component (provider postgres); {FilesOnly}");
        }

        if (backups.Logical is not null)
        {
            add(backups, "logical", $"{at}.logical: logical dumps need a postgres component (provider postgres); {FilesOnly}");
        }

        if (backups.Verify.FullSchedule is not null || backups.Verify.Queries.Count > 0)
        {
            add(backups.Verify, backups.Verify.FullSchedule is not null ? "full-schedule" : "queries", $"{at}.verify: a restore drill and its queries need a postgres component (provider postgres); {FilesOnly}");
        }

        if (backups.Files is null && backups.Schedule is null && backups.Logical is null)
        {
            add(backups, "repository", $"{at}: {FilesOnly}: declare backups.files.paths");
        }
    }

    /// <summary>Whether one path is the other or lies inside it, compared after normalising (relative paths against the same base).</summary>
    private static bool Overlaps(string path, string repository)
    {
        var (a, b) = (Normalise(path), Normalise(repository));
        return a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal) || a == "/" || b == "/";
    }

    private static string Normalise(string path) => Path.GetFullPath(path, "/config-directory").TrimEnd('/') is { Length: > 0 } full ? full : "/";
}
