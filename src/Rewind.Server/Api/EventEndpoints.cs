using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Engine.Hosting;
using Rewind.Server.Access;
using Rewind.Server.Dashboard;

namespace Rewind.Server.Api;

/// <summary>
/// <c>GET /api/v1/events</c>: change notices as Server-Sent Events (event <c>change</c>, data a <see cref="ChangeDto"/>):
/// <c>hello</c> first, then one notice per change within a second of it, and a <c>ping</c> after 15 s of quiet. The
/// stream lasts until the client goes away or the server stops.
/// </summary>
internal static class EventEndpoints
{
    /// <summary>A quiet stream gets a ping this often. Default 15 s.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void MapEventEndpoints(this IEndpointRouteBuilder api) => api.MapGet("/events", Stream);

    private static Results<ServerSentEventsResult<ChangeDto>, ProblemHttpResult> Stream(HttpContext context, ChangeFeed feed, ConfigHolder config, TimeProvider time)
    {
        var limits = config.Current.Server.Limits;
        var user = AccessPolicies.Actor(context);
        var (subscription, refusal) = feed.Subscribe(user, limits);
        if (subscription is null)
        {
            context.Response.Headers.RetryAfter = "5";
            if (refusal == StreamRefusal.UserLimit)
            {
                AuditMiddleware.AddDetail(context, "over server.limits.event-streams-per-user");
            }

            return refusal == StreamRefusal.UserLimit
                ? TypedResults.Problem($"{user} has {limits.EventStreamsPerUser} event streams open already (server.limits.event-streams-per-user); close one (a dashboard tab) first", statusCode: StatusCodes.Status429TooManyRequests, title: "too many streams of this user")
                : TypedResults.Problem($"{limits.EventStreams} event streams are open already (server.limits.event-streams); try again later", statusCode: StatusCodes.Status503ServiceUnavailable, title: "too many streams");
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // a buffering proxy would hold the notices back
        return TypedResults.ServerSentEvents(Follow(subscription, time, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<ChangeDto>> Follow(ChangeFeed.Subscription subscription, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var leave = subscription;
        yield return new SseItem<ChangeDto>(new ChangeDto("hello", null, time.GetUtcNow()), "change") { ReconnectionInterval = TimeSpan.FromSeconds(1) };
        while (!cancellationToken.IsCancellationRequested)
        {
            using var quiet = new CancellationTokenSource(KeepAlive, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(quiet.Token, cancellationToken);
            ChangeDto? change;
            try
            {
                change = await subscription.Reader.ReadAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                change = new ChangeDto("ping", null, time.GetUtcNow());
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return new SseItem<ChangeDto>(change, "change");
        }
    }
}
