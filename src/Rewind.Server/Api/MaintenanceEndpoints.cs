using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Server.Access;

namespace Rewind.Server.Api;

internal static class MaintenanceEndpoints
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    public static void MapMaintenanceEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/components/{name}/maintenance", StartAsync).RequireAuthorization(Roles.Operator);
        api.MapDelete("/components/{name}/maintenance", EndAsync).RequireAuthorization(Roles.Operator);
    }

    private static async Task<Results<Created<MaintenanceDto>, ProblemHttpResult>> StartAsync(string name, MaintenanceRequest request, HttpContext context, ConfigHolder config, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (config.Component(name) is null)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        if (!Durations.TryParse(request.Duration ?? "", out var duration) || duration <= TimeSpan.Zero || duration > Longest)
        {
            return Problems.Invalid("invalid maintenance window", $"duration '{request.Duration}' must be a duration such as 30m or 2h, at most 7d");
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 2000)
        {
            return Problems.Invalid("invalid maintenance window", "reason is required (at most 2000 characters)");
        }

        var now = time.GetUtcNow();
        var by = AccessPolicies.Actor(context);
        var window = new MaintenanceWindow(name, now, now + duration, request.Reason.Trim(), by);
        var entry = await store.GetOpenIncidentAsync(name, cancellationToken) is { } incident
            ? new TimelineEvent(incident.Id, now, TimelineKinds.Suppressed, $"maintenance declared by {by} until {Timestamps.Format(window.EndsAt)}: {window.Reason}; policies do not act meanwhile", by)
            : null;
        await store.DeclareMaintenanceAsync(window, entry, cancellationToken);

        return TypedResults.Created($"/api/v1/components/{name}/maintenance", new MaintenanceDto(name, window.StartsAt, window.EndsAt, window.Reason, window.DeclaredBy));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EndAsync(string name, IStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.EndMaintenanceAsync(name, time.GetUtcNow(), cancellationToken) > 0
            ? TypedResults.NoContent()
            : Problems.NotFound("no maintenance window", $"{name} has no active maintenance window");
}
