using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Storage;
using Rewind.Engine.Agents;
using Rewind.Engine.Hosting;
using Rewind.Engine.Shares;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Api;

internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/health", GetHealthAsync).AllowAnonymous();
    }

    private static async Task<Results<Ok<ControllerHealthDto>, ProblemHttpResult>> GetHealthAsync(HttpContext http, IStore store, StoreHealth storeHealth, ControllerFaults faults, ConfigHolder config, ConfigReloads reloads, ServerClock clock, HealthBoard board, Leadership leadership, WatchShare share, TimeProvider time, CancellationToken cancellationToken)
    {
        var version = typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
        var current = config.Current; // one config for the whole answer, whatever a reload does meanwhile
        var kind = current.Store.StartsWith("sqlite:", StringComparison.Ordinal) ? "sqlite" : "postgres";
        try
        {
            var latency = await store.PingAsync(cancellationToken);
            if (storeHealth.Status().Describe() is { } refused)
            {
                return TypedResults.Problem($"the {kind} store answers but refuses writes: {refused}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "store not writable", extensions: Extensions(faults));
            }

            var monitorDto = Monitor(board, time);
            if (faults.Active() is [var worst, ..] all)
            {
                var extensions = Extensions(faults);
                extensions["monitor"] = monitorDto;
                return TypedResults.Problem(string.Join("; ", all.Select(f => f.Message)), statusCode: StatusCodes.Status503ServiceUnavailable, title: worst.Title, extensions: extensions);
            }

            return TypedResults.Ok(new ControllerHealthDto("ok", version, kind, latency.TotalMilliseconds, clock.StartedAt, current.Components.Count, monitorDto)
            {
                Leadership = await LeadershipView.ReadAsync(leadership, share, store, time, cancellationToken),
                Config = ForCaller(reloads.Status(), http.User.Identity?.IsAuthenticated == true),
                Agents = [.. AgentHosts.Read(current, await store.GetAgentsAsync(cancellationToken), time.GetUtcNow()).Select(h => new AgentHealthDto(h.Host, h.Connected, h.Agent?.SeenAt, h.Agent?.Version))],
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem($"the {kind} store does not answer: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "store unavailable", extensions: Extensions(faults));
        }
    }

    private static MonitorHealthDto Monitor(HealthBoard board, TimeProvider time)
    {
        var monitor = board.Monitor.Status(time.GetUtcNow());
        return new MonitorHealthDto(monitor.Overloaded, monitor.Reason, monitor.MaxLag.TotalMilliseconds, monitor.MaxStoreWrite.TotalMilliseconds)
        {
            NotMeasured = monitor.NotMeasured,
            NotMeasuredTotal = monitor.NotMeasuredTotal,
        };
    }

    /// <summary>Every fault of the controller raised now, for a client that shows them all (the dashboard's banner).</summary>
    private static Dictionary<string, object?> Extensions(ControllerFaults faults) => new(StringComparer.Ordinal)
    {
        ["faults"] = faults.Active().Select(f => new ControllerFaultDto(f.Kind, f.Severity.ToString(), f.Title, f.Message, f.Since)).ToList(),
    };

    /// <summary>
    /// The config's status as this caller may read it: an error's text can quote a value from the file (a mistyped
    /// setting), so an anonymous caller gets each refused file's positions only; signed-in users and the log get the text.
    /// </summary>
    private static ConfigStatusDto ForCaller(ConfigStatusDto status, bool signedIn) =>
        signedIn || status.LastReload is not { Errors.Count: > 0 } last
            ? status
            : status with { LastReload = last with { Errors = [.. last.Errors.Select(e => e with { Message = "refused here; the error's text is in the log and in rewind status (signed in)" })] } };
}
