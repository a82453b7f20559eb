using System.Text.RegularExpressions;

namespace Rewind.Core.Configuration;

/// <summary>Semantic checks after binding. Reports every failure at once, each at the line and column of the value at fault.</summary>
internal static partial class ConfigValidator
{
    public static IEnumerable<ConfigError> Validate(RewindConfig config, string file, ConfigPositions positions)
    {
        var errors = new List<ConfigError>();
        void Add(object owner, string? key, string message)
        {
            var mark = positions.Of(owner, key);
            errors.Add(new ConfigError(file, (int)mark.Line, (int)mark.Column, message));
        }

        if (!IsStore(config.Store))
        {
            Add(config, "store", "store: expected sqlite:PATH or postgres://user:password@host:port/database");
        }

        if (!Uri.TryCreate(config.Server.Listen, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
        {
            Add(config.Server, "listen", "server.listen: expected an http:// or https:// URL");
        }

        ValidateTls(config.Server, listen, Add);
        if (config.Server.LeaderLease < TimeSpan.FromSeconds(1) || config.Server.LeaderLease > TimeSpan.FromSeconds(60))
        {
            Add(config.Server, "leader-lease", $"server.leader-lease: {Durations.Format(config.Server.LeaderLease)} is outside 1s..60s");
        }
        ValidateLimits(config.Server.Limits, Add);
        ValidateProbeSchedule(config.Server.Probes, Add);
        ValidateTelemetry(config.Server.Telemetry, Add);

        ValidateApprovals(config, Add);
        foreach (var (tokenName, hash) in config.Server.PushTokens)
        {
            if (!PushTokenHash().IsMatch(hash))
            {
                Add(config.Server.PushTokens, tokenName, $"server.push-tokens.{tokenName}: expected sha256: and 64 hex digits (`rewind token push` prints one); never the token itself");
            }
        }

        ValidateSamples(config, Add);

        foreach (var (name, component) in config.Components)
        {
            if (!Name().IsMatch(name))
            {
                Add(config.Components, name, $"components.{name}: a name is lower-case letters, digits, '-', '_' or '.', starting with a letter or digit");
            }

            ValidateComponent(name, component, Add);
            ValidatePlan($"components.{name}", component, Add);
        }

        ValidateSnapshots(config, Add);
        ValidateNotifications(config.Notifications, EscalationChannels(config), Add);
        ValidateEscalation(config, Add);
        ValidateGroups(config, Add);
        ValidateStatusPage(config, Add);
        ValidateDrills(config, Add);

        return errors;
    }

    private static void ValidateComponent(string name, ComponentConfig component, Action<object, string?, string> add)
    {
        var at = $"components.{name}";
        ValidateProvider(at, component, add);
        ValidateBackups(at, component, add);
        if (component.Probes.Count == 0)
        {
            add(component, "probes", $"{at}: declare at least one probe, or Rewind cannot tell healthy from broken");
        }

        foreach (var (probeName, probe) in component.Probes)
        {
            ValidateProbe($"{at}.probes.{probeName}", probe, add);
        }

        ValidatePolicies(name, at, component, add);
        ValidateScrapes(at, component, add);
        ValidateQueriesAndEvents(at, component, add);
        ValidateVersionSource(at, component, add);
        ValidateHost(at, component, add);

        if (component.HealthySuccesses < 1)
        {
            add(component, "healthy-successes", $"{at}.healthy-successes: at least 1");
        }

        if (component.DeployGrace <= TimeSpan.Zero)
        {
            add(component, "deploy-grace", $"{at}.deploy-grace: must be positive; a deploy in progress shields the component only for a while");
        }

        if (component.WarmUp < TimeSpan.Zero)
        {
            add(component, "warm-up", $"{at}.warm-up: zero or more; 0s judges a new release from its first request");
        }

        if (component.BakeTime <= TimeSpan.Zero)
        {
            add(component, "bake-time", $"{at}.bake-time: must be positive; a release must run healthy for a while before it is known good");
        }

        if (component.HealthyTimeout <= TimeSpan.Zero)
        {
            add(component, "healthy-timeout", $"{at}.healthy-timeout: must be positive");
        }
    }

    private static void ValidateProvider(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        var provider = component.Provider;
        if (provider.KindCount != 1)
        {
            add(component, "provider", $"{at}.provider: declare exactly one provider: release-dir, command, http, files or postgres");
        }

        if (provider.ReleaseDir is { } releaseDir)
        {
            if (string.IsNullOrWhiteSpace(releaseDir.Path))
            {
                add(releaseDir, "path", $"{at}.provider.release-dir.path: required");
            }

            if (releaseDir.Restart.Any(string.IsNullOrEmpty))
            {
                add(releaseDir, "restart", $"{at}.provider.release-dir.restart: argv elements must not be empty");
            }

            if (releaseDir.RestartTimeout <= TimeSpan.Zero)
            {
                add(releaseDir, "restart-timeout", $"{at}.provider.release-dir.restart-timeout: must be positive");
            }
        }

        if (provider.Command is { } command)
        {
            ValidateCall($"{at}.provider.command", command, "switch", command.Switch, command.Env, command.Timeout, command.AcceptExit, memberAllowed: false, add);
            RejectPlanStepOnly($"{at}.provider.command", command, [.. command.Switch, .. command.Env.Values], "a provider's switch", add);
        }

        if (provider.Http is { } http)
        {
            ValidateHttpStep($"{at}.provider.http", http, add);
            RejectPlanStepOnly($"{at}.provider.http", http, Templates(http), "a provider's switch", add);
            ValidateRetry($"{at}.provider.http", http, http.Retries, http.Backoff, add);
        }

        if (provider.Files is { } files)
        {
            ValidateFilesProvider($"{at}.provider.files", files, add);
        }

        if (provider.Postgres is { } postgres)
        {
            ValidatePostgresProvider($"{at}.provider.postgres", postgres, add);
        }
    }

    private static void ValidatePolicies(string name, string at, ComponentConfig component, Action<object, string?, string> add)
    {
        foreach (var (policyName, policy) in component.Policies)
        {
            var condition = policy.When;
            var when = $"{at}.policies.{policyName}.when";
            if (condition.Regression is { } regression)
            {
                ValidateRegression(when, condition, regression, component, name, add);
            }
            else if (condition.Kind == "probe" && !component.Probes.ContainsKey(condition.Probe))
            {
                add(condition, "probe", $"{when}.probe: '{condition.Probe}' is not a probe of {name}");
            }

            ValidateCondition(when, policyName, condition, component, name, add);
            if ((condition.Signal?.Name ?? condition.Trend?.Signal) is { } watched && Backups.BackupSignals.IsBackupSignal(watched) && policy.Mode != Policies.PolicyMode.Notify)
            {
                add(policy, "mode", $"{at}.policies.{policyName}.mode: a policy on {watched} must be mode: notify (it pages; a rollback cannot repair a backup)");
            }

            if (condition.MinFailures < 1)
            {
                add(condition, "min-failures", $"{at}.policies.{policyName}.when.min-failures: at least 1");
            }

            if (condition.RecoverAfter < 1)
            {
                add(condition, "recover-after", $"{at}.policies.{policyName}.when.recover-after: at least 1");
            }

            if (policy.Cooldown <= TimeSpan.Zero)
            {
                add(policy, "cooldown", $"{at}.policies.{policyName}.cooldown: must be positive; a zero cooldown lets automatic rollbacks flap");
            }
        }
    }

    private static void ValidateProbe(string at, ProbeConfig probe, Action<object, string?, string> add)
    {
        var kinds = (probe.Http is null ? 0 : 1) + (probe.Tcp is null ? 0 : 1) + (probe.Command is null ? 0 : 1) + (probe.Postgres is null ? 0 : 1);
        if (kinds != 1)
        {
            add(probe, null, $"{at}: declare exactly one kind: http, tcp, command or postgres");
        }

        if (probe.Http is { } http)
        {
            ValidateHttp(at, http, add);
        }

        if (probe.Tcp is { } tcp && (string.IsNullOrWhiteSpace(tcp.Host) || tcp.Port is < 1 or > 65535))
        {
            add(tcp, "port", $"{at}.tcp: a host and a port from 1 to 65535");
        }

        if (probe.Command is { } command && (command.Argv.Count == 0 || command.Argv.Any(string.IsNullOrEmpty)))
        {
            add(command, "argv", $"{at}.command.argv: a non-empty argument vector without empty elements");
        }

        if (probe.Postgres is { } postgres)
        {
            ValidatePostgres(at, postgres, add);
        }

        if (probe.FailureThreshold < 1)
        {
            add(probe, "failure-threshold", $"{at}.failure-threshold: at least 1");
        }

        if (probe.Interval <= TimeSpan.Zero)
        {
            add(probe, "interval", $"{at}.interval: must be positive");
        }

        if (probe.Timeout <= TimeSpan.Zero || probe.Timeout > probe.Interval)
        {
            add(probe, "timeout", $"{at}.timeout: must be positive and no longer than the interval");
        }
    }

    private static bool IsStore(string store)
    {
        if (store.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            return store.Length > "sqlite:".Length;
        }

        return PostgresUrl.TryParse(store, out var url) && url.Database.Length > 0;
    }

    private static void ValidateHttp(string at, HttpProbeConfig http, Action<object, string?, string> add)
    {
        if (!Uri.TryCreate(http.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            add(http, "url", $"{at}.http.url: expected an http:// or https:// URL");
        }

        if (http.ExpectStatus is < 100 or > 599)
        {
            add(http, "expect-status", $"{at}.http.expect-status: an HTTP status code, 100 to 599");
        }

        if (http.JsonField is { } field && string.IsNullOrWhiteSpace(field.Path))
        {
            add(field, "path", $"{at}.http.json-field.path: required, e.g. status or checks.db");
        }

        if (http.BodyMatches is { } pattern && !IsRegex(pattern))
        {
            add(http, "body-matches", $"{at}.http.body-matches: not a valid regular expression");
        }

        if (http.MaxLatency is { } latency && latency <= TimeSpan.Zero)
        {
            add(http, "max-latency", $"{at}.http.max-latency: must be positive");
        }

        if (http.MinCertDays is { } days)
        {
            if (days < 1)
            {
                add(http, "min-cert-days", $"{at}.http.min-cert-days: at least 1");
            }

            if (url is not null && url.Scheme != Uri.UriSchemeHttps)
            {
                add(http, "min-cert-days", $"{at}.http.min-cert-days: only for https:// URLs; {url.Scheme}:// has no certificate");
            }
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PushTokenHash();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Name();

    private static void ValidateGroups(RewindConfig config, Action<object, string?, string> add)
    {
        foreach (var (name, group) in config.Groups)
        {
            if (!Name().IsMatch(name))
            {
                add(config.Groups, name, $"groups.{name}: a name is lower-case letters, digits, '-', '_' or '.', starting with a letter or digit");
            }

            if (group.Components.Count < 2 || group.Components.Distinct(StringComparer.Ordinal).Count() != group.Components.Count)
            {
                add(group, "components", $"groups.{name}.components: at least two different components, in the order they roll back");
            }

            foreach (var missing in group.Components.Where(c => !config.Components.ContainsKey(c)))
            {
                add(group, "components", $"groups.{name}.components: '{missing}' is not a component");
            }
        }
    }
}
