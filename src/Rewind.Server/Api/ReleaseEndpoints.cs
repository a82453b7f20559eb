using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Backups;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Engine.Releases;
using Rewind.Server.Access;
using Rewind.Server.Hosting;

namespace Rewind.Server.Api;

internal static class ReleaseEndpoints
{
    public static void MapReleaseEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/components/{name}/releases", ListAsync);
        api.MapGet("/components/{name}/releases/{version}", GetAsync);
        api.MapGet("/components/{name}/releases/{version}/check", CheckAsync);
        api.MapPost("/components/{name}/releases", RecordAsync).RequireAuthorization(Roles.Operator);
        api.MapPost("/components/{name}/releases/{version}/mark-bad", MarkBadAsync).RequireAuthorization(Roles.Operator);
        api.MapPost("/components/{name}/releases/{version}/promote", PromoteAsync).RequireAuthorization(Roles.Operator);
    }

    private static async Task<Results<Ok<List<ReleaseDto>>, ProblemHttpResult>> ListAsync(string name, ConfigHolder config, IStore store, CancellationToken cancellationToken)
    {
        if (config.Component(name) is null)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        var state = await store.GetComponentAsync(name, cancellationToken);
        var releases = await store.GetReleasesAsync(name, cancellationToken);
        var lkg = LastKnownGood.Select(releases, state?.CurrentVersion)?.Version;
        return TypedResults.Ok(releases.OrderByDescending(r => r.RecordedAt).Select(r => r.ToDto(lkg)).ToList());
    }

    private static async Task<Results<Created<ReleaseDto>, ProblemHttpResult>> RecordAsync(string name, RecordReleaseRequest request, HttpContext context, ConfigHolder config, IStore store, ReleaseRecorder recorder, CancellationToken cancellationToken)
    {
        if (config.Component(name) is not { } component)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        if (!ReleaseVersion.IsValid(request.Version))
        {
            return Problems.Invalid("invalid version", $"version '{request.Version}' must be 1-64 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit");
        }

        if (request.Schema is { } schema && !ReleaseVersion.IsValidSchema(schema))
        {
            return Problems.Invalid("invalid schema", $"schema '{schema}' must be 1-128 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit (the id of the release's newest migration)");
        }

        var outcome = await recorder.RecordAsync(name, new ReleaseRecordRequest(request.Version, request.Deploying, Recorder(context, request.RecordedBy), request.Commit, request.Artifact, request.Schema), cancellationToken);
        foreach (var line in outcome.AuditLines)
        {
            AuditMiddleware.AddDetail(context, line);
        }

        if (outcome.Recorded is not { } release)
        {
            return Problems.Conflict(outcome.RefusedTitle!, outcome.Refusal!);
        }

        return TypedResults.Created($"/api/v1/components/{name}/releases/{release.Version}", release.ToDto(await LastKnownGoodAsync(store, name, cancellationToken)));
    }

    private static async Task<Results<Ok<ReleaseDto>, ProblemHttpResult>> GetAsync(string name, string version, IStore store, CancellationToken cancellationToken) =>
        await store.GetReleaseAsync(name, version, cancellationToken) is { } release
            ? TypedResults.Ok(release.ToDto(await LastKnownGoodAsync(store, name, cancellationToken)))
            : Problems.NotFound("unknown release", $"release {version} of {name} is not recorded");

    /// <summary>For pipelines and GitOps hooks: may this version be deployed? A refusal is a 200 answer with allowed false.</summary>
    private static async Task<Results<Ok<ReleaseCheckDto>, ProblemHttpResult>> CheckAsync(string name, string version, ConfigHolder config, IStore store, CancellationToken cancellationToken)
    {
        if (config.Component(name) is null)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        if (!ReleaseVersion.IsValid(version))
        {
            return Problems.Invalid("invalid version", $"version '{version}' must be 1-64 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit");
        }

        var release = await store.GetReleaseAsync(name, version, cancellationToken);
        var leftBy = release is not null && ReleaseGate.Refuses(release.State)
            ? (await store.GetRollbacksAsync(500, name, cancellationToken))
                .Where(r => r.Status == RollbackStatus.Succeeded && string.Equals(r.FromVersion, version, StringComparison.Ordinal))
                .MaxBy(r => r.FinishedAt)
            : null;
        var verdict = ReleaseGate.Check(name, version, release, leftBy);
        return TypedResults.Ok(new ReleaseCheckDto(name, version, verdict.Allowed, verdict.State is { } state ? ReleaseStateMachine.Describe(state) : null, verdict.Incident, verdict.Reason));
    }

    private static async Task<string?> LastKnownGoodAsync(IStore store, string name, CancellationToken cancellationToken)
    {
        var state = await store.GetComponentAsync(name, cancellationToken);
        return LastKnownGood.Select(await store.GetReleasesAsync(name, cancellationToken), state?.CurrentVersion)?.Version;
    }

    private static async Task<Results<Ok<ReleaseDto>, ProblemHttpResult>> MarkBadAsync(string name, string version, MarkBadRequest request, HttpContext context, ConfigHolder config, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (config.Component(name) is null)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        if (await store.GetReleaseAsync(name, version, cancellationToken) is not { } release)
        {
            return Problems.NotFound("unknown release", $"release {version} of {name} is not recorded");
        }

        var now = time.GetUtcNow();
        var incident = await store.GetOpenIncidentAsync(name, cancellationToken);
        if (release.State != ReleaseState.Bad)
        {
            var by = AccessPolicies.Actor(context);
            var why = string.IsNullOrWhiteSpace(request.Reason) ? "no reason given" : request.Reason.Trim();
            var entry = incident is null ? null : new TimelineEvent(incident.Id, now, TimelineKinds.Decision, $"release {version} marked bad by {by}: {why}", by);
            await store.SetReleaseStateAsync(name, version, ReleaseState.Bad, now, incident?.Id, entry, cancellationToken);
        }

        release = (await store.GetReleaseAsync(name, version, cancellationToken))!;
        return TypedResults.Ok(release.ToDto(await LastKnownGoodAsync(store, name, cancellationToken)));
    }

    /// <summary>
    /// A person makes a baking release stable before its traffic has earned it (a quiet service, a first release); the
    /// reason and the evidence it had so far go to the audit log. Only a baking release: a bad or rolled-back one never
    /// becomes good, and a deploy in progress must finish first.
    /// </summary>
    private static async Task<Results<Ok<ReleaseDto>, ProblemHttpResult>> PromoteAsync(string name, string version, PromoteRequest request, HttpContext context, ConfigHolder config, IStore store, ReleaseEvidence evidence, TimeProvider time, ILogger<ReleaseEvidence> logger, CancellationToken cancellationToken)
    {
        if (config.Component(name) is null)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problems.Invalid("reason required", "a promotion by hand needs a reason (--reason): it stands in for the evidence the traffic did not give");
        }

        if (await store.GetReleaseAsync(name, version, cancellationToken) is not { } release)
        {
            return Problems.NotFound("unknown release", $"release {version} of {name} is not recorded");
        }

        if (release.State != ReleaseState.Baking)
        {
            return Problems.Conflict("release not baking", $"release {version} of {name} is {ReleaseStateMachine.Describe(release.State)}; only a baking release can be promoted by hand");
        }

        var so = await evidence.ForPromotionAsync(name, release, cancellationToken);
        var actor = AccessPolicies.Actor(context);
        var reason = request.Reason.Trim();
        AuditMiddleware.AddDetail(context, $"promoted by hand: {reason}; evidence so far: {so.Summary}");
        await store.SetReleaseStateAsync(name, version, ReleaseState.Stable, time.GetUtcNow(), cancellationToken: cancellationToken);
        ServerLog.ReleasePromoted(logger, name, version, actor, reason);
        release = (await store.GetReleaseAsync(name, version, cancellationToken))!;
        return TypedResults.Ok(release.ToDto(await LastKnownGoodAsync(store, name, cancellationToken)));
    }

    /// <summary>The authenticated user; a pipeline recording on behalf of someone (<c>--by</c>) is kept beside it, never instead of it.</summary>
    private static string Recorder(HttpContext context, string? recordedBy)
    {
        var actor = AccessPolicies.Actor(context);
        return string.IsNullOrWhiteSpace(recordedBy) || string.Equals(recordedBy.Trim(), actor, StringComparison.Ordinal) ? actor : $"{actor} (for {recordedBy.Trim()})";
    }
}
