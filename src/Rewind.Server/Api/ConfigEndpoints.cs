using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Server.Access;
using Rewind.Server.Hosting;

namespace Rewind.Server.Api;

/// <summary><c>POST /api/v1/config/reload</c>: reads this controller's config file again, for an operator who is not on its host.</summary>
internal static class ConfigEndpoints
{
    public static void MapConfigEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/config/reload", ReloadAsync).RequireAuthorization(Roles.Admin);
    }

    /// <summary>The reload's answer, a refusal included (200 with outcome <c>refused</c> and the errors at their places).</summary>
    private static async Task<Ok<ConfigReloadDto>> ReloadAsync(HttpContext context, ConfigReloads reloads, CancellationToken cancellationToken)
    {
        var report = await reloads.ReloadAsync(AccessPolicies.Actor(context), context.Connection.RemoteIpAddress?.ToString() ?? "unknown", cancellationToken);
        AuditMiddleware.AddDetail(context, $"config {report.OutcomeName}");
        return TypedResults.Ok(ConfigReloads.ToDto(report));
    }
}
