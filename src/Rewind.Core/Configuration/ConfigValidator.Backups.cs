namespace Rewind.Core.Configuration;

/// <summary>Checks of the <c>postgres</c> provider and of backups.</summary>
internal static partial class ConfigValidator
{
    private static readonly string[] Compressions = ["none", "gzip"];

    private static void ValidatePostgresProvider(string at, PostgresProviderConfig postgres, Action<object, string?, string> add)
    {
        if (!PostgresUrl.TryParse(postgres.Url, out _))
        {
            add(postgres, "url", $"{at}.url: expected postgres://user:password@host:port/database");
        }

        if (string.IsNullOrWhiteSpace(postgres.DataDirectory))
        {
            add(postgres, "data-directory", $"{at}.data-directory: required: the cluster's data directory, where a restore is swapped in");
        }

        if (postgres.RunAs is { } user && !UserName().IsMatch(user))
        {
            add(postgres, "run-as", $"{at}.run-as: a user name (lower-case letters, digits, '-', '_')");
        }

        foreach (var (key, argv) in new[] { ("stop", postgres.Stop), ("start", postgres.Start) })
        {
            if (argv.Any(string.IsNullOrWhiteSpace))
            {
                add(postgres, key, $"{at}.{key}: an argv without empty elements");
            }
        }
    }

    private static void ValidateBackups(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        if (component.Backups is not { } backups)
        {
            return;
        }

        at += ".backups";
        if (string.IsNullOrWhiteSpace(backups.Repository))
        {
            add(backups, "repository", $"{at}.repository: required: the directory the backups are kept in");
        }

        ValidateObjectStorage(at, backups, add);

        ValidateBackupKinds(at, component.Provider.Postgres is not null, backups, add);
        ValidateCron($"{at}.schedule", backups, "schedule", backups.Schedule, add);
        if (!Compressions.Contains(backups.Compression, StringComparer.Ordinal))
        {
            add(backups, "compression", $"{at}.compression: one of {string.Join(", ", Compressions)}");
        }

        if (backups.Retention.Count < 1 || backups.Retention.Age <= TimeSpan.Zero)
        {
            add(backups.Retention, backups.Retention.Count < 1 ? "count" : "age", $"{at}.retention: keep at least 1 base backup, for a positive age");
        }

        if (backups.Encryption is { } encryption && (string.IsNullOrWhiteSpace(encryption.KeyFile)
            || (!string.IsNullOrWhiteSpace(backups.Repository) && encryption.KeyFile.StartsWith(backups.Repository.TrimEnd('/') + "/", StringComparison.Ordinal))))
        {
            add(encryption, "key-file", $"{at}.encryption.key-file: required, and outside the repository (a key beside the backups protects nothing)");
        }

        if (backups.MaxAge <= TimeSpan.Zero || backups.Verify.MaxAge <= TimeSpan.Zero)
        {
            add(backups.MaxAge <= TimeSpan.Zero ? backups : backups.Verify, "max-age", $"{at}{(backups.MaxAge <= TimeSpan.Zero ? "" : ".verify")}.max-age: must be positive");
        }

        ValidateBackupParts(at, backups, add);
    }

    private static void ValidateBackupParts(string at, BackupsConfig backups, Action<object, string?, string> add)
    {
        ValidateCron($"{at}.verify.schedule", backups.Verify, "schedule", backups.Verify.Schedule, add);
        ValidateCron($"{at}.verify.full-schedule", backups.Verify, "full-schedule", backups.Verify.FullSchedule, add);
        for (var i = 0; i < backups.Verify.Queries.Count; i++)
        {
            var query = backups.Verify.Queries[i];
            if (string.IsNullOrWhiteSpace(query.Name) || string.IsNullOrWhiteSpace(query.Sql))
            {
                add(query, string.IsNullOrWhiteSpace(query.Name) ? "name" : "sql", $"{at}.verify.queries[{i}]: a name and the sql to run");
            }

            if (!ExpectedValue.TryParse(query.Expect, out _))
            {
                add(query, "expect", $"{at}.verify.queries[{i}].expect: '{query.Expect}' is not a comparison such as '> 0', '= 3' or a literal");
            }
        }
    }

    /// <summary>A <c>snapshot</c> step names a <c>postgres</c> component with backups, and a kind.</summary>
    private static void ValidateSnapshots(RewindConfig config, Action<object, string?, string> add)
    {
        foreach (var (name, component) in config.Components)
        {
            var plans = new[] { ($"components.{name}.plan", component.Plan) }
                .Concat(component.Policies.Select(p => ($"components.{name}.policies.{p.Key}.plan", p.Value.Plan)));
            foreach (var (at, plan) in plans)
            {
                for (var i = 0; i < (plan?.Count ?? 0); i++)
                {
                    if (plan![i].Restore is { } restore)
                    {
                        ValidateRestore($"{at}[{i}].restore", restore, plan.Take(i), at.EndsWith(".plan", StringComparison.Ordinal) && at.Contains(".policies.", StringComparison.Ordinal), config, add);
                    }

                    if (plan[i].Snapshot is not { } snapshot)
                    {
                        continue;
                    }

                    if (!config.Components.TryGetValue(snapshot.Component, out var target) || target.Provider.Postgres is null || target.Backups is null)
                    {
                        add(snapshot, "component", $"{at}[{i}].snapshot.component: '{snapshot.Component}' is not a postgres component with backups");
                    }

                    if (snapshot.Kind is not ("restore-point" or "base-backup"))
                    {
                        add(snapshot, "kind", $"{at}[{i}].snapshot.kind: restore-point or base-backup");
                    }
                }
            }
        }
    }

    /// <summary>
    /// A <c>restore</c> step names a <c>postgres</c> component with backups, comes after a snapshot of it in the same
    /// plan (nothing destructive without one), and skips its approval only in a policy's plan.
    /// </summary>
    private static void ValidateRestore(string at, RestoreStepConfig restore, IEnumerable<PlanStepConfig> before, bool policyPlan, RewindConfig config, Action<object, string?, string> add)
    {
        if (!config.Components.TryGetValue(restore.Component, out var target) || target.Provider.Postgres is null || target.Backups is null)
        {
            add(restore, "component", $"{at}.component: '{restore.Component}' is not a postgres component with backups");
        }
        else if (PostgresUrl.TryParse(target.Provider.Postgres.Url, out var cluster) && PostgresUrl.TryParse(config.Store, out var store)
            && string.Equals(cluster.Host, store.Host, StringComparison.OrdinalIgnoreCase) && cluster.Port == store.Port)
        {
            add(restore, "component", $"{at}.component: the store is in the cluster of {restore.Component} ({store.Host}:{store.Port}); a restore would stop the controller's own record and roll it back. Keep the store in another cluster");
        }
        else if (!before.Any(s => s.Snapshot?.Component == restore.Component))
        {
            add(restore, null, $"{at}: a restore of {restore.Component} must come after a snapshot step of {restore.Component} in the same plan (nothing destructive without a way back)");
        }

        if (string.IsNullOrWhiteSpace(restore.RestorePoint))
        {
            add(restore, "restore-point", $"{at}.restore-point: required");
        }

        if (!restore.Approval && !policyPlan)
        {
            add(restore, "approval", $"{at}.approval: a restore waits for its own approval; only a policy's plan (policies.NAME.plan) may say approval: false");
        }
    }

    private static void ValidateCron(string at, object owner, string key, string? cron, Action<object, string?, string> add)
    {
        if (cron is not null && !IsCron(cron))
        {
            add(owner, key, $"{at}: '{cron}' is not a cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?' for 03:00 UTC daily)");
        }
    }

    private static bool IsCron(string cron)
    {
        try
        {
            _ = new Quartz.CronExpression(cron);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial System.Text.RegularExpressions.Regex UserName();
}
