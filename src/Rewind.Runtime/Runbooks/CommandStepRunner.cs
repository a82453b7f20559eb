using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Runbooks;

/// <summary>Runs <see cref="CommandStep"/>: the argv with secrets filled in at the last moment, never through a shell.</summary>
public sealed class CommandStepRunner(ProcessRunner processRunner) : IStepRunner
{
    public string Kind => CommandStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var planned = StepRunnerGuard.Expect<CommandStep>(planStep);
        var secrets = context.SecretsOf(planned);
        ProcessRequest request;
        try
        {
            request = context.Recorded(Calls.Request(planned.Argv, planned.Env, planned.WorkingDirectory, planned.Timeout, null, context.Environment) with { Secrets = secrets });
        }
        catch (InvalidOperationException ex)
        {
            return StepOutcome.Failure(ex.Message); // a secret is missing: say which, never run half a command
        }

        var result = await processRunner.RunAsync(request, cancellationToken);
        var accepted = Calls.Accepted(result, planned.AcceptExit);
        var output = result.Output.Length == 0 ? result.Describe() : result.Describe() + "\n" + result.Output.TrimEnd();
        return new StepOutcome(accepted, secrets.Redact(output));
    }
}

/// <summary>The shared parts of steps that run commands: filling templates per call, and which results count as success.</summary>
internal static class Calls
{
    /// <summary>The argv and environment with <c>{{member}}</c> and secrets filled; throws when a secret is missing.</summary>
    public static ProcessRequest Request(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string directory, TimeSpan timeout, string? member, Func<string, string?> environment) =>
        new([.. argv.Select(a => PlanTemplate.RenderCall(a, member, environment))], directory, timeout)
        {
            Environment = env.ToDictionary(e => e.Key, e => (string?)PlanTemplate.RenderCall(e.Value, member, environment), StringComparer.Ordinal),
        };

    public static bool Accepted(ProcessResult result, IReadOnlyList<int> acceptExit) =>
        result.StartError is null && !result.TimedOut && result.ExitCode is { } code && acceptExit.Contains(code);
}

/// <summary>For steps run outside a rollback (tests, tools): nothing is recorded.</summary>
public sealed class NoLedger : Core.Storage.IMemberLedger
{
    public static NoLedger Instance { get; } = new();

    public Task<IReadOnlyList<MemberResult>> GetMembersAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MemberResult>>([]);

    public Task AddMembersAsync(string rollbackId, int stepIndex, IReadOnlyList<string> members, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task MarkMemberStartedAsync(string rollbackId, int stepIndex, string member, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task MarkMemberFinishedAsync(string rollbackId, int stepIndex, string member, MemberStatus status, DateTimeOffset at, string? output, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<int, MemberCounts>> GetMemberCountsAsync(string rollbackId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<int, MemberCounts>>(new Dictionary<int, MemberCounts>());
}
