using System.Collections.Concurrent;
using System.Globalization;
using Polly;
using Polly.Retry;
using Rewind.Core.Configuration;
using Rewind.Core.Notifications;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs <see cref="BatchStep"/>: resolves and stores the member list once, then calls the members not yet succeeded in
/// batches, at most <c>concurrency</c> at once and <c>calls-per-minute</c> started, each call written ahead in the
/// ledger. Failures are retried with exponential backoff and jitter (Polly); a quota error backs off and tries again
/// without using up a retry, until the step's timeout. The step fails when the failed share exceeds its budget.
/// </summary>
public sealed class BatchStepRunner(ProcessRunner processRunner, TimeProvider time) : IStepRunner
{
    private const int FailuresListed = 10;

    public string Kind => BatchStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = StepRunnerGuard.Expect<BatchStep>(planStep);
        context = context with { Secrets = context.SecretsOf(step) }; // worked out once, not per member
        var started = time.GetTimestamp();
        using var stepTimeout = new CancellationTokenSource(step.StepTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stepTimeout.Token);

        if (MissingSecret(step, context) is { } missing)
        {
            return StepOutcome.Failure($"secret {missing}: the environment variable is not set; nothing was called");
        }

        var (stored, unresolved) = await StoredMembersAsync(step, context, cancellationToken);
        if (unresolved is not null)
        {
            return StepOutcome.Failure(unresolved);
        }

        var done = stored.Where(m => m.Status == MemberStatus.Succeeded).Select(m => m.Member).ToHashSet(StringComparer.Ordinal);
        var todo = stored.Where(m => !done.Contains(m.Member)).Select(m => m.Member).ToList();
        var results = new ConcurrentDictionary<string, MemberCall>(StringComparer.Ordinal);
        var pipeline = Pipeline(step);
        var limiter = step.CallsPerMinute is { } perMinute ? new RateLimiter(perMinute, TimeSpan.FromMinutes(1)) : null;
        string? stopped = null;
        try
        {
            var batches = todo.Chunk(step.BatchSize).ToList();
            for (var b = 0; b < batches.Count; b++)
            {
                await Parallel.ForEachAsync(
                    batches[b],
                    new ParallelOptions { MaxDegreeOfParallelism = step.Concurrency, CancellationToken = linked.Token },
                    async (member, token) => results[member] = await CallMemberAsync(step, context, member, pipeline, limiter, token));
                if (b < batches.Count - 1 && OverBudget(step, results.Values.Count(r => !r.Succeeded), stored.Count))
                {
                    // Failing this much is a broken target or a broken call, not bad luck: calling the rest would only spread it.
                    var left = batches.Skip(b + 1).Sum(batch => batch.Length);
                    stopped = string.Create(CultureInfo.InvariantCulture, $"; stopped after batch {b + 1} of {batches.Count}: the failure budget was spent, {left} member(s) not called (they stay pending: running the rollback again calls only them)");
                    break;
                }

                if (b < batches.Count - 1 && step.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(step.Delay, time, linked.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stepTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var left = todo.Count(m => !results.ContainsKey(m));
            return StepOutcome.Failure(Summary(stored.Count, done.Count, results, time.GetElapsedTime(started)) + $"; step timed out after {Durations.Format(step.StepTimeout)} with {left} member(s) not done (they stay pending: running the rollback again calls only them)");
        }

        var failed = results.Values.Count(r => !r.Succeeded);
        var summary = Summary(stored.Count, done.Count, results, time.GetElapsedTime(started));
        var withinBudget = !OverBudget(step, failed, stored.Count);
        return new StepOutcome(withinBudget, withinBudget ? summary : summary + string.Create(CultureInfo.InvariantCulture, $"; more than the budget of {step.MaxFailed * 100:0.##}% failed{stopped}"));
    }

    /// <summary>The members as stored for this step; resolved and stored first when the step runs for the first time.</summary>
    private async Task<(IReadOnlyList<MemberResult> Stored, string? Error)> StoredMembersAsync(BatchStep step, StepContext context, CancellationToken cancellationToken)
    {
        var stored = await context.Ledger.GetMembersAsync(context.RollbackId, context.StepIndex, cancellationToken);
        if (stored.Count > 0)
        {
            return (stored, null);
        }

        var (members, error) = await ResolveMembersAsync(step, context, cancellationToken);
        if (error is not null)
        {
            return ([], error);
        }

        await context.Ledger.AddMembersAsync(context.RollbackId, context.StepIndex, members, cancellationToken);
        stored = await context.Ledger.GetMembersAsync(context.RollbackId, context.StepIndex, cancellationToken);
        return stored.Count > 0 ? (stored, null) : ([.. members.Select(m => new MemberResult(m, MemberStatus.Pending, 0, null, null, null))], null); // no ledger: run without records
    }

    private static bool OverBudget(BatchStep step, int failed, int total) => failed > 0 && (double)failed / total > step.MaxFailed;

    private async Task<MemberCall> CallMemberAsync(BatchStep step, StepContext context, string member, ResiliencePipeline<ProcessResult> pipeline, RateLimiter? limiter, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var quota = 0;
        ProcessResult result;
        try
        {
            var request = context.Recorded(Calls.Request(step.Argv, step.Env, step.WorkingDirectory, step.CallTimeout, member, context.Environment) with { Secrets = context.SecretsOf(step) });
            result = await pipeline.ExecuteAsync(
                async token =>
                {
                    await WaitForRateAsync(limiter, token);
                    attempts++;
                    await context.Ledger.MarkMemberStartedAsync(context.RollbackId, context.StepIndex, member, time.GetUtcNow(), token);
                    var call = await processRunner.RunAsync(request, token);
                    if (!Calls.Accepted(call, step.AcceptExit) && IsQuota(step, call))
                    {
                        quota++;
                    }

                    return call;
                },
                cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            await context.Ledger.MarkMemberFinishedAsync(context.RollbackId, context.StepIndex, member, MemberStatus.Failed, time.GetUtcNow(), ex.Message, CancellationToken.None);
            return new MemberCall(member, false, 0, 0, ex.Message);
        }

        var succeeded = Calls.Accepted(result, step.AcceptExit);
        var output = context.SecretsOf(step).Redact(result.Describe() + (attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $" (attempt {attempts}{(quota > 0 ? $", {quota} quota back-off(s)" : "")})") : "") + (result.Output.Length == 0 ? "" : ": " + result.Output.Trim()));
        await context.Ledger.MarkMemberFinishedAsync(context.RollbackId, context.StepIndex, member, succeeded ? MemberStatus.Succeeded : MemberStatus.Failed, time.GetUtcNow(), output, cancellationToken);
        return new MemberCall(member, succeeded, attempts, quota, output);
    }

    /// <summary>Outer: retries of failures with exponential backoff and jitter. Inner: quota errors back off and try again, without a limit but the step's timeout.</summary>
    private ResiliencePipeline<ProcessResult> Pipeline(BatchStep step)
    {
        bool Failed(Outcome<ProcessResult> outcome) => outcome.Result is { } r && !Calls.Accepted(r, step.AcceptExit);
        var builder = new ResiliencePipelineBuilder<ProcessResult> { TimeProvider = time };
        if (step.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ProcessResult>
            {
                ShouldHandle = args => ValueTask.FromResult(Failed(args.Outcome) && !IsQuota(step, args.Outcome.Result!)),
                MaxRetryAttempts = step.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = step.Backoff,
                MaxDelay = TimeSpan.FromMinutes(1),
            });
        }

        builder.AddRetry(new RetryStrategyOptions<ProcessResult>
        {
            ShouldHandle = args => ValueTask.FromResult(Failed(args.Outcome) && IsQuota(step, args.Outcome.Result!)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = step.Backoff,
            MaxDelay = TimeSpan.FromSeconds(30),
        });
        return builder.Build();
    }

    private static string? MissingSecret(BatchStep step, StepContext context) =>
        step.Argv.Concat(step.Env.Values).Concat(step.Members.Command ?? [])
            .SelectMany(PlanTemplate.Secrets)
            .FirstOrDefault(name => string.IsNullOrEmpty(context.Environment(name)));

    private static bool IsQuota(BatchStep step, ProcessResult result) =>
        step.QuotaErrors.Any(marker => result.Output.Contains(marker, StringComparison.OrdinalIgnoreCase));

    private async Task WaitForRateAsync(RateLimiter? limiter, CancellationToken cancellationToken)
    {
        while (limiter is not null && !limiter.TryAcquire(time.GetUtcNow(), out var wait))
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task<(IReadOnlyList<string> Members, string? Error)> ResolveMembersAsync(BatchStep step, StepContext context, CancellationToken cancellationToken)
    {
        IEnumerable<string> lines;
        string source;
        if (step.Members.List is { } list)
        {
            (lines, source) = (list, "members.list");
        }
        else if (step.Members.File is { } file)
        {
            try
            {
                (lines, source) = (await File.ReadAllLinesAsync(file, cancellationToken), file);
            }
            catch (IOException ex)
            {
                return ([], $"member list {file}: {ex.Message}");
            }
        }
        else
        {
            var request = context.Recorded(Calls.Request(step.Members.Command!, step.Env, step.WorkingDirectory, step.CallTimeout, null, context.Environment) with { Secrets = context.SecretsOf(step) });
            var result = await processRunner.RunAsync(request, cancellationToken);
            if (!result.Succeeded)
            {
                return ([], $"member list command failed: {result.Describe()}{(result.Output.Length == 0 ? "" : ": " + result.Output.Trim())}");
            }

            (lines, source) = (result.Output.Split('\n'), "the member list command's output");
        }

        var members = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!PlanTemplate.IsValidMember(line))
            {
                return ([], $"{source}, line {number}: '{line}' is not a member name (letters, digits and ._:@/+=-, not starting with '-'); nothing was called");
            }

            if (seen.Add(line))
            {
                members.Add(line);
            }
        }

        return members.Count == 0 ? ([], $"{source} names no member: nothing to roll back, which is not success; check the list") : (members, null);
    }

    private static string Summary(int total, int before, ConcurrentDictionary<string, MemberCall> results, TimeSpan took)
    {
        var succeeded = results.Values.Count(r => r.Succeeded);
        var failed = results.Values.Where(r => !r.Succeeded).OrderBy(r => r.Member, StringComparer.Ordinal).ToList();
        var retried = results.Values.Count(r => r.Attempts > 1);
        var quota = results.Values.Sum(r => r.QuotaBackoffs);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{total} member(s): {before + succeeded} succeeded{(before > 0 ? $" ({before} before this run)" : "")}, {failed.Count} failed, {total - before - results.Count} not called; {retried} needed more than one attempt, {quota} quota back-off(s); {Durations.Format(took)}");
        return failed.Count == 0 ? text : text + "\nfailed: " + string.Join("\n        ", failed.Take(FailuresListed).Select(f => $"{f.Member}: {f.Output}")) + (failed.Count > FailuresListed ? $"\n        … and {failed.Count - FailuresListed} more" : "");
    }

    private sealed record MemberCall(string Member, bool Succeeded, int Attempts, int QuotaBackoffs, string Output);
}
