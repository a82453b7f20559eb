using Rewind.Core.Runbooks;

namespace Rewind.Core.Configuration;

/// <summary>Checks of declared rollback plans and the command provider.</summary>
internal static partial class ConfigValidator
{
    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

    private static void ValidatePlan(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        for (var i = 0; i < component.Verify.Smoke.Count; i++)
        {
            var smoke = component.Verify.Smoke[i];
            if (smoke.KindCount == 1 && smoke.Command is null && smoke.Http is null)
            {
                add(smoke, null, $"{at}.verify.smoke[{i}]: a smoke check is a command or an http step");
                continue;
            }

            ValidateStep($"{at}.verify.smoke[{i}]", smoke, component, inParallel: false, add);
        }

        if (component.Verify.HoldFor < TimeSpan.Zero || component.Verify.Timeout <= TimeSpan.Zero)
        {
            add(component.Verify, component.Verify.Timeout <= TimeSpan.Zero ? "timeout" : "hold-for", $"{at}.verify: timeout must be positive");
        }

        if (component.PlanTimeout is { } planTimeout && planTimeout <= TimeSpan.Zero)
        {
            add(component, "plan-timeout", $"{at}.plan-timeout: must be positive; leave it out for no limit on the whole plan");
        }

        ValidateSteps($"{at}.plan", component, component, component.Plan, add);
        foreach (var (policyName, policy) in component.Policies)
        {
            ValidateSteps($"{at}.policies.{policyName}.plan", policy, component, policy.Plan, add);
        }
    }

    private static void ValidateSteps(string at, object owner, ComponentConfig component, List<PlanStepConfig>? plan, Action<object, string?, string> add)
    {
        if (plan is null)
        {
            return;
        }

        if (plan.Count == 0)
        {
            add(owner, "plan", $"{at}: empty; leave it out for the {(owner is ComponentConfig ? "provider's default plan" : "component's plan")}");
            return;
        }

        if (!plan.Any(s => s.Switch is not null || s.Batch is not null || s.Traffic is not null))
        {
            add(owner, "plan", $"{at}: no switch, batch or traffic step, so nothing would move {at["components.".Length..at.IndexOf('.', "components.".Length)]} to the target release");
        }

        for (var i = 0; i < plan.Count; i++)
        {
            ValidateStep($"{at}[{i}]", plan[i], component, inParallel: false, add);
        }
    }

    private static void ValidateFilesProvider(string at, FilesProviderConfig files, Action<object, string?, string> add)
    {
        if (files.Paths.Count == 0 || files.Paths.Any(string.IsNullOrWhiteSpace))
        {
            add(files, "paths", $"{at}.paths: at least one file or directory, none empty");
        }

        if (string.IsNullOrWhiteSpace(files.Store))
        {
            add(files, "store", $"{at}.store: required: the directory where each release's copy is kept");
        }
        else if (files.Paths.Any(p => !string.IsNullOrWhiteSpace(p) && (IsUnder(files.Store, p) || IsUnder(p, files.Store))))
        {
            add(files, "store", $"{at}.store: must be outside the paths it keeps copies of, and not hold them");
        }

        if (files.Paths.Count != files.Paths.Distinct(StringComparer.Ordinal).Count())
        {
            add(files, "paths", $"{at}.paths: a path is listed twice");
        }

        if (files.Reload.Any(string.IsNullOrEmpty))
        {
            add(files, "reload", $"{at}.reload: argv elements must not be empty");
        }

        if (files.ReloadTimeout <= TimeSpan.Zero)
        {
            add(files, "reload-timeout", $"{at}.reload-timeout: must be positive");
        }

        static bool IsUnder(string path, string root) =>
            string.Equals(path, root, StringComparison.Ordinal) || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
    }

    private static void ValidateStep(string stepAt, PlanStepConfig step, ComponentConfig component, bool inParallel, Action<object, string?, string> add)
    {
        if (step.KindCount != 1)
        {
            add(step, null, $"{stepAt}: declare exactly one kind: switch, command, http, wait-healthy, batch, cache-flush, notify, parallel, approval, traffic, maintenance, migrate-down, snapshot or restore");
            return;
        }

        if (inParallel && (step.Switch is not null || step.Batch is not null || step.Parallel is not null || step.Approval is not null || step.Traffic is not null || step.MigrateDown is not null || step.Snapshot is not null || step.Restore is not null))
        {
            add(step, null, $"{stepAt}: a {step.Kind} step cannot run in parallel with others; put it before or after the group");
            return;
        }

        switch (step)
        {
            case { Command: { } command }:
                ValidateCommandStep($"{stepAt}.command", command, add);
                break;
            case { MigrateDown: { } migrate }:
                ValidateCommandStep($"{stepAt}.migrate-down", migrate, add);
                break;
            case { Http: { } http }:
                ValidateHttpStep($"{stepAt}.http", http, add);
                ValidateRetry($"{stepAt}.http", http, http.Retries, http.Backoff, add);
                break;
            case { WaitHealthy: { Timeout: { } timeout } wait } when timeout <= TimeSpan.Zero:
                add(wait, "timeout", $"{stepAt}.wait-healthy.timeout: must be positive");
                break;
            case { Batch: { } batch }:
                ValidateBatchStep($"{stepAt}.batch", batch, add);
                break;
            case { CacheFlush: { } flush }:
                ValidateCacheFlush($"{stepAt}.cache-flush", flush, add);
                break;
            case { Notify: { } notify }:
                ValidateNotify($"{stepAt}.notify", notify, add);
                break;
            case { Approval: { } gate }:
                ValidateApprovalStep($"{stepAt}.approval", gate, component, add);
                break;
            case { Traffic: { } traffic }:
                ValidateTrafficStep($"{stepAt}.traffic", traffic, add);
                break;
            case { Maintenance: { } maintenance }:
                ValidateMaintenanceStep($"{stepAt}.maintenance", maintenance, add);
                break;
            case { Parallel: { } group }:
                if (group.Count < 2)
                {
                    add(step, "parallel", $"{stepAt}.parallel: at least two steps");
                }

                for (var j = 0; j < group.Count; j++)
                {
                    ValidateStep($"{stepAt}.parallel[{j}]", group[j], component, inParallel: true, add);
                }

                break;
        }
    }

    private static void ValidateCommandStep(string at, CommandStepConfig command, Action<object, string?, string> add)
    {
        ValidateCall(at, command, "argv", command.Argv, command.Env, command.Timeout, command.AcceptExit, memberAllowed: false, add);
        ValidateRetry(at, command, command.Retries, command.Backoff, add);
        ValidateStepHost(at, command, add);
    }

    private static void ValidateRetry(string at, object owner, int retries, TimeSpan backoff, Action<object, string?, string> add)
    {
        if (retries is < 0 or > 10)
        {
            add(owner, "retries", $"{at}.retries: from 0 to 10");
        }

        if (backoff <= TimeSpan.Zero)
        {
            add(owner, "backoff", $"{at}.backoff: must be positive");
        }
    }

    private static void ValidateCacheFlush(string at, CacheFlushStepConfig flush, Action<object, string?, string> add)
    {
        if ((flush.Command is null ? 0 : 1) + (flush.Http is null ? 0 : 1) != 1)
        {
            add(flush, null, $"{at}: declare exactly one of command or http");
        }
        else if (flush.Command is { } command)
        {
            ValidateCall($"{at}.command", command, "argv", command.Argv, command.Env, command.Timeout, command.AcceptExit, memberAllowed: false, add);
            ValidateStepHost($"{at}.command", command, add);
        }
        else
        {
            ValidateHttpStep($"{at}.http", flush.Http!, add);
        }
    }

    private static void ValidateNotify(string at, NotifyStepConfig notify, Action<object, string?, string> add)
    {
        if (string.IsNullOrWhiteSpace(notify.Message) || notify.Message.Length > 2000)
        {
            add(notify, "message", $"{at}.message: required, at most 2000 characters");
        }
        else if (PlanTemplate.Check(notify.Message, memberAllowed: false) is { } error)
        {
            add(notify, "message", $"{at}.message: {error}");
        }
        else if (PlanTemplate.Secrets(notify.Message).Any())
        {
            add(notify, "message", $"{at}.message: no secrets in messages: they are sent to people and kept in the record");
        }
    }

    /// <summary>
    /// The deploy times (<c>{{from.recorded-at}}</c>, <c>{{target.recorded-at}}</c>) are known only to a rollback's plan:
    /// a provider's switch (also what a drill deploys with) and a drill's fault run without the rollback's releases.
    /// </summary>
    private static void RejectPlanStepOnly(string at, object owner, IEnumerable<string?> texts, string what, Action<object, string?, string> add)
    {
        if (texts.OfType<string>().Select(PlanTemplate.PlanStepOnly).OfType<string>().FirstOrDefault() is { } name)
        {
            add(owner, null, $"{at}: {{{{{name}}}}} is filled only in a rollback plan's steps, where the releases are known; {what} runs without them");
        }
    }

    private static IEnumerable<string?> Templates(CommandStepConfig command) => [.. command.Argv, .. command.Env.Values];

    private static IEnumerable<string?> Templates(HttpStepConfig http) => [http.Url, .. http.Headers.Values, http.Body];

    /// <summary>An argv template with its environment, timeout and accepted exit codes.</summary>
    private static void ValidateCall(string at, object owner, string argvKey, List<string> argv, Dictionary<string, string> env, TimeSpan timeout, List<int> acceptExit, bool memberAllowed, Action<object, string?, string> add)
    {
        if (argv.Count == 0 || argv.Any(string.IsNullOrEmpty))
        {
            add(owner, argvKey, $"{at}.{argvKey}: a non-empty argument vector without empty elements");
        }

        foreach (var error in argv.Select(a => PlanTemplate.Check(a, memberAllowed)).OfType<string>().Take(1))
        {
            add(owner, argvKey, $"{at}.{argvKey}: {error}");
        }

        if (argv is [var program, ..] && program.Contains("{{", StringComparison.Ordinal))
        {
            add(owner, argvKey, $"{at}.{argvKey}: the program (argv[0]) must be fixed, not a template");
        }

        foreach (var (name, value) in env)
        {
            if (!EnvironmentName().IsMatch(name))
            {
                add(env, name, $"{at}.env.{name}: not an environment variable name");
            }
            else if (PlanTemplate.Check(value, memberAllowed) is { } error)
            {
                add(env, name, $"{at}.env.{name}: {error}");
            }
        }

        if (timeout <= TimeSpan.Zero)
        {
            add(owner, "timeout", $"{at}.timeout: must be positive");
        }

        if (acceptExit.Count == 0 || acceptExit.Any(c => c is < 0 or > 255))
        {
            add(owner, "accept-exit", $"{at}.accept-exit: one or more exit codes from 0 to 255");
        }
    }

    private static void ValidateHttpStep(string at, HttpStepConfig http, Action<object, string?, string> add)
    {
        if (!HttpMethods.Contains(http.Method.ToUpperInvariant(), StringComparer.Ordinal))
        {
            add(http, "method", $"{at}.method: one of {string.Join(", ", HttpMethods)}");
        }

        if (PlanTemplate.Check(http.Url, memberAllowed: false) is { } urlError)
        {
            add(http, "url", $"{at}.url: {urlError}");
        }
        else if (!IsHttpUrl(PlanTemplate.RenderPlan(http.Url, "c", "v1", "v0").Replace("{{", "", StringComparison.Ordinal).Replace("}}", "", StringComparison.Ordinal)))
        {
            add(http, "url", $"{at}.url: expected an http:// or https:// URL");
        }
        else if (PlanTemplate.Secrets(http.Url).Any())
        {
            add(http, "url", $"{at}.url: no secrets in URLs (they end up in logs); put them in a header");
        }

        foreach (var (name, value) in http.Headers)
        {
            if (PlanTemplate.Check(value, memberAllowed: false) is { } error)
            {
                add(http.Headers, name, $"{at}.headers.{name}: {error}");
            }
        }

        if (http.Body is { } body && PlanTemplate.Check(body, memberAllowed: false) is { } bodyError)
        {
            add(http, "body", $"{at}.body: {bodyError}");
        }

        if (http.ExpectStatus.Any(s => s is < 100 or > 599))
        {
            add(http, "expect-status", $"{at}.expect-status: statuses from 100 to 599");
        }

        if (http.Timeout <= TimeSpan.Zero)
        {
            add(http, "timeout", $"{at}.timeout: must be positive");
        }
    }

    private static void ValidateBatchStep(string at, BatchStepConfig batch, Action<object, string?, string> add)
    {
        var members = batch.Members;
        if ((members.List is null ? 0 : 1) + (members.File is null ? 0 : 1) + (members.Command is null ? 0 : 1) != 1)
        {
            add(batch, "members", $"{at}.members: declare exactly one of list, file or command");
        }

        foreach (var member in (members.List ?? []).Where(m => !PlanTemplate.IsValidMember(m)))
        {
            add(members, "list", $"{at}.members.list: '{member}' is not a member name (letters, digits and ._:@/+=-, not starting with '-')");
        }

        if (members.Command is { } command && (command.Count == 0 || command.Any(string.IsNullOrEmpty) || command.Any(a => PlanTemplate.Check(a, memberAllowed: false) is not null)))
        {
            add(members, "command", $"{at}.members.command: a non-empty argument vector without empty elements or unknown placeholders");
        }

        ValidateCall(at, batch, "argv", batch.Argv, batch.Env, batch.Timeout, batch.AcceptExit, memberAllowed: true, add);
        if (!batch.Argv.Any(a => a.Contains("{{member}}", StringComparison.Ordinal)))
        {
            add(batch, "argv", $"{at}.argv: no {{{{member}}}}, so every call would do the same thing");
        }

        foreach (var (key, value, min, max) in new[] { ("batch-size", batch.BatchSize, 1, 100_000), ("concurrency", batch.Concurrency, 1, 1000), ("retries", batch.Retries, 0, 20) })
        {
            if (value < min || value > max)
            {
                add(batch, key, $"{at}.{key}: from {min} to {max}");
            }
        }

        if (batch.CallsPerMinute is < 1)
        {
            add(batch, "calls-per-minute", $"{at}.calls-per-minute: at least 1");
        }

        if (batch.Backoff <= TimeSpan.Zero)
        {
            add(batch, "backoff", $"{at}.backoff: must be positive");
        }

        if (batch.MaxFailed is < 0 or >= 1)
        {
            add(batch, "max-failed", $"{at}.max-failed: a fraction from 0 (no failure allowed) to below 1, e.g. 5%");
        }

        if (batch.StepTimeout <= TimeSpan.Zero)
        {
            add(batch, "step-timeout", $"{at}.step-timeout: must be positive");
        }
    }
}
