using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Agents;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Agents;
using Rewind.Engine.Hosting;
using Rewind.Server.Access;

namespace Rewind.Server.Api;

/// <summary>
/// The agents' side of the API (<c>/api/v1/agent</c>, agent tokens only): a long poll for the work of the token's host,
/// and reports of it. And the people's side (<c>/api/v1</c>): the agents as they last polled, and their tokens (admin).
/// </summary>
internal static partial class AgentEndpoints
{
    /// <summary>How often a held poll reads the store again (work stored at another replica wakes nothing here).</summary>
    private static readonly TimeSpan StoreLook = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Whether the request is an agent's poll, or its samples of its host's probes: a poll changes only the agent's last
    /// contact, samples are signals as a probe's runs are, so neither is audited (an entry every few seconds per host)
    /// nor announced on the dashboard's event stream.
    /// </summary>
    public static bool IsPoll(HttpContext context) =>
        context.Request.Path.Equals("/api/v1/agent/poll", StringComparison.Ordinal) || context.Request.Path.Equals("/api/v1/agent/samples", StringComparison.Ordinal);

    /// <summary>Whether the request is an agent's (poll or report): its route values are attempt ids, not rollbacks.</summary>
    public static bool IsAgentWork(HttpContext context) => context.Request.Path.StartsWithSegments("/api/v1/agent", StringComparison.Ordinal);

    public static void MapAgentWorkEndpoints(this IEndpointRouteBuilder agent)
    {
        agent.MapPost("/poll", PollAsync);
        agent.MapPost("/attempts/{id}", ReportAsync);
        agent.MapGet("/known-good", KnownGoodAsync);
        agent.MapPost("/break-glass", BreakGlassAsync);
        agent.MapPost("/backups", BackupsAsync);
        agent.MapGet("/probes", ProbesAsync);
        agent.MapPost("/samples", SamplesAsync);
    }

    public static void MapAgentEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/agents", async (IStore store, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Ok((await store.GetAgentsAsync(cancellationToken)).Select(a => ToDto(a, now)).ToList());
        });
        api.MapPost("/agent-tokens", CreateTokenAsync).RequireAuthorization(Roles.Admin);
        api.MapGet("/agent-tokens", async (IStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok((await store.GetAgentTokensAsync(cancellationToken)).Select(t => new AgentTokenDto(t.Id, t.Host, t.Description, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.RevokedAt)).ToList())).RequireAuthorization(Roles.Admin);
        api.MapDelete("/agent-tokens/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, IStore store, TimeProvider time, CancellationToken cancellationToken) =>
            await store.RevokeAgentTokenAsync(id, time.GetUtcNow(), cancellationToken)
                ? TypedResults.NoContent()
                : Problems.NotFound("no such agent token", $"no agent token {id} that is not revoked already")).RequireAuthorization(Roles.Admin);
    }

    public static AgentDto ToDto(AgentRecord agent, DateTimeOffset now) =>
        new(agent.Host, agent.Instance, agent.Version, agent.Address, agent.StartedAt, agent.FirstSeen, agent.SeenAt, AgentLiveness.IsConnected(agent.SeenAt, now));

    /// <summary>One agent per host: a poll from another instance while the host's agent is connected is refused (409).</summary>
    private static async Task<Results<Ok<AgentWorkDto>, ProblemHttpResult>> PollAsync(AgentPollRequest? request, HttpContext context, IStore store, AgentWork work, TimeProvider time, CancellationToken cancellationToken)
    {
        var host = AccessPolicies.AgentHost(context.User)!;
        if (request is null || !InstanceName().IsMatch(request.Instance ?? "") || string.IsNullOrWhiteSpace(request.Version) || request.Version.Length > 64
            || request.WaitSeconds is < 0 || request.WaitSeconds > AgentLiveness.LongPoll.TotalSeconds)
        {
            return Problems.Invalid("invalid poll", $"instance: 1 to 64 of a-z, 0-9 and '-'; version: 1 to 64 characters; waitSeconds: 0 to {AgentLiveness.LongPoll.TotalSeconds:0}");
        }

        var instance = request.Instance!; // checked above: JSON may carry a null
        var address = context.Connection.RemoteIpAddress?.ToString();
        if ((await store.GetAgentsAsync(cancellationToken)).FirstOrDefault(a => a.Host == host) is { } other && other.Instance != instance && AgentLiveness.IsConnected(other.SeenAt, time.GetUtcNow()))
        {
            return Problems.Conflict(
                "another agent polls for this host",
                $"agent instance {other.Instance} ({other.Version}, from {other.Address ?? "an unknown address"}) polled for {host} at {Timestamps.Format(other.SeenAt)}; run one agent per host: stop the other, or start this one {AgentLiveness.LostAfter.TotalSeconds:0} s after the other stopped");
        }

        var seen = await SeenAsync(store, host, request, address, null, time, cancellationToken);
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(request.WaitSeconds);
        var claimedAt = time.GetUtcNow();
        var attempts = await store.ClaimHostAttemptsAsync(host, instance, claimedAt, cancellationToken);
        var stop = await store.GetOrphanedHostAttemptsAsync(host, cancellationToken);
        while (attempts.Count == 0 && stop.Count == 0 && time.GetUtcNow() < until)
        {
            var left = until - time.GetUtcNow();
            await work.WaitForWorkAsync(host, left < StoreLook ? left : StoreLook, time, cancellationToken);
            claimedAt = time.GetUtcNow();
            attempts = await store.ClaimHostAttemptsAsync(host, instance, claimedAt, cancellationToken);
            stop = await store.GetOrphanedHostAttemptsAsync(host, cancellationToken);
        }

        await SeenAsync(store, host, request, address, seen, time, cancellationToken);
        return TypedResults.Ok(new AgentWorkDto(host, [.. attempts.Select(a => ToDto(a, claimedAt))]) { Stop = stop });
    }

    /// <summary>Records the poll; the first sighting of this instance is kept as its start of contact.</summary>
    private static async Task<AgentRecord> SeenAsync(IStore store, string host, AgentPollRequest request, string? address, AgentRecord? earlier, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var agent = new AgentRecord(host, request.Instance, request.Version, address, request.StartedAt, earlier?.FirstSeen ?? now, now);
        await store.SaveAgentAsync(agent, cancellationToken);
        return agent;
    }

    /// <summary>The attempt for the agent; handed out before when it was claimed before <paramref name="claimedNow"/>, this poll's claim.</summary>
    private static AgentAttemptDto ToDto(HostAttempt attempt, DateTimeOffset claimedNow)
    {
        using var plan = JsonDocument.Parse(PlanStepJson.Serialize(attempt.Step));
        var handedBefore = attempt.ClaimedAt < claimedNow;
        return new AgentAttemptDto(attempt.Id, attempt.RollbackId, attempt.StepIndex + 1, plan.RootElement.Clone(), attempt.Step.Describe(), attempt.CreatedAt, handedBefore, handedBefore ? attempt.ClaimedBy : null);
    }

    private static async Task<Results<Ok<AgentReportDto>, ProblemHttpResult>> ReportAsync(string id, AgentReportRequest? request, HttpContext context, AgentReports reports, CancellationToken cancellationToken)
    {
        var host = AccessPolicies.AgentHost(context.User)!;
        if (request is null || !Enum.TryParse<HostAttemptStatus>(request.Status, ignoreCase: true, out var status) || request.Output is null)
        {
            return Problems.Invalid("invalid report", "status: succeeded, failed or unknown; output: text");
        }

        var outcome = await reports.ReportAsync(host, id, status, request.Output, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }

        var (stored, accepted) = outcome.Value!;
        var detail = accepted
            ? "recorded"
            : stored.Status == HostAttemptStatus.Unreachable
                ? $"the step was given up as unreachable before this report ({stored.Output}); the report is kept beside the record"
                : $"already reported as {stored.Status.ToString().ToLowerInvariant()}; this report changes nothing";
        return TypedResults.Ok(new AgentReportDto(stored.Id, stored.Status.ToString().ToLowerInvariant(), accepted, detail));
    }

    private static async Task<Ok<AgentKnownGoodDto>> KnownGoodAsync(HttpContext context, BreakGlass breakGlass, TimeProvider time, CancellationToken cancellationToken)
    {
        var host = AccessPolicies.AgentHost(context.User)!;
        var known = await breakGlass.KnownGoodAsync(host, cancellationToken);
        return TypedResults.Ok(new AgentKnownGoodDto(host, time.GetUtcNow(), [.. known.Select(k =>
        {
            using var plan = JsonDocument.Parse(PlanStepJson.Serialize(k.Steps));
            return new KnownGoodDto(k.Component, k.ToVersion, k.FromVersion, plan.RootElement.Clone(), k.Steps.Describe());
        })]));
    }

    private static async Task<Results<Ok<BreakGlassReportDto>, ProblemHttpResult>> BreakGlassAsync(BreakGlassReportRequest? request, HttpContext context, BreakGlass breakGlass, ConfigHolder config, CancellationToken cancellationToken)
    {
        var host = AccessPolicies.AgentHost(context.User)!;
        if (request is null || string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > 100 || config.Component(request.Component ?? "") is not { } component
            || string.IsNullOrWhiteSpace(request.ToVersion) || string.IsNullOrWhiteSpace(request.RunBy) || request.RunBy.Length > 100 || request.Output is null)
        {
            return Problems.Invalid("invalid break-glass report", "id (at most 100 characters), component (one of the config's), toVersion, runBy (at most 100 characters) and output are required");
        }

        if (component.Host != host && component.Hosts?.Contains(host) != true)
        {
            return Problems.From(Engine.Refusal.Forbidden("not this agent's component", $"{request.Component} is not on {host}"));
        }

        var output = request.Output.Length > AgentReports.MaxOutput ? request.Output[..AgentReports.MaxOutput] + " …" : request.Output;
        var recorded = await breakGlass.ReportAsync(new BreakGlassReport(request.Id, host, request.Component!, request.FromVersion, request.ToVersion, request.RunBy, request.Succeeded, output, request.RanAt), cancellationToken);
        return TypedResults.Ok(new BreakGlassReportDto(request.Id, recorded));
    }

    /// <summary>Keeps the agent's measurement of each cluster on its host that declares backups; another host's cluster is refused (403).</summary>
    private static async Task<Results<Ok<AgentBackupsAcceptedDto>, ProblemHttpResult>> BackupsAsync(AgentBackupsRequest? request, HttpContext context, IStore store, ConfigHolder config, TimeProvider time, CancellationToken cancellationToken)
    {
        var host = AccessPolicies.AgentHost(context.User)!;
        if (request?.Components is not { Count: <= 100 } components || components.Any(c => c is null || string.IsNullOrWhiteSpace(c.Component)))
        {
            return Problems.Invalid("invalid backup measurement", "components: at most 100, each with its component's name");
        }

        if (components.FirstOrDefault(c => config.Component(c.Component) is not { Backups: not null } declared || declared.Host != host) is { } foreign)
        {
            return Problems.From(Engine.Refusal.Forbidden("not a cluster of this agent's host", $"{foreign.Component} is not a component with backups on {host} in the controller's config"));
        }

        var now = time.GetUtcNow();
        foreach (var measured in components)
        {
            await store.SaveHostBackupStateAsync(new HostBackupState(measured.Component, host, now, measured.NewestWal, measured.NewestSet, measured.Error), cancellationToken);
        }

        return TypedResults.Ok(new AgentBackupsAcceptedDto(components.Count));
    }

    private static async Task<Results<Created<CreatedAgentTokenDto>, ProblemHttpResult>> CreateTokenAsync(CreateAgentTokenRequest? request, HttpContext context, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request is null || !HostNames.IsValid(request.Host))
        {
            return Problems.Invalid("invalid agent token request", "host: lower-case letters, digits, '.' and '-', starting with a letter or digit, at most 63 characters");
        }

        var now = time.GetUtcNow();
        DateTimeOffset? expires = null;
        if (request.ExpiresIn is { Length: > 0 } expiresIn && !string.Equals(expiresIn, "never", StringComparison.Ordinal))
        {
            if (!Durations.TryParse(expiresIn, out var life) || life <= TimeSpan.Zero || life > TimeSpan.FromDays(3660))
            {
                return Problems.Invalid("invalid agent token request", $"expiresIn '{expiresIn}': a duration such as 365d (at most 3660d), or never");
            }

            expires = now + life;
        }

        var description = request.Description?.Trim() ?? "";
        if (description.Length > 200)
        {
            return Problems.Invalid("invalid agent token request", "description: at most 200 characters");
        }

        var secret = TokenSecret.New(AgentToken.Prefix);
        var token = new AgentToken(TokenSecret.NewId(), request.Host, description, now, AccessPolicies.Actor(context), expires);
        await store.CreateAgentTokenAsync(token, TokenSecret.Hash(secret), cancellationToken);
        return TypedResults.Created($"/api/v1/agent-tokens/{token.Id}", new CreatedAgentTokenDto(token.Id, token.Host, secret, expires));
    }

    [GeneratedRegex("^[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex InstanceName();
}
