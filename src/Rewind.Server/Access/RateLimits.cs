using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Rewind.Core.Configuration;
using Rewind.Engine.Hosting;
using Rewind.Server.Api;

namespace Rewind.Server.Access;

/// <summary>
/// Per-client rate limits (<c>server.limits</c>), in fixed one-minute windows, after authentication so that a user is
/// counted by name wherever they come from:
/// <list type="bullet">
/// <item><c>/api/v1/health</c> and <c>/metrics</c>: per client address, apart from everything else, so no flood starves monitoring;</item>
/// <item><c>POST /ui/login</c>: per client address, strictest;</item>
/// <item>the rest of <c>/api</c>: per authenticated user (or push token), generous; without a valid token, per client address, strict.</item>
/// </list>
/// Dashboard pages and the public status page are static or cheap and not limited. Over the limit: 429 problem details
/// with <c>Retry-After</c>, counted in the audit of refused requests like a 401.
/// </summary>
internal static class RateLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The rate limits, and the audit of refused requests with the service that writes its counts.</summary>
    public static IServiceCollection AddRewindLimits(this IServiceCollection services) =>
        services.AddSingleton<RefusalAudit>().AddHostedService<RefusalAuditHostedService>().AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var partition = Classify(context);
                return partition is null
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetFixedWindowLimiter($"{partition.Key} {partition.PerMinute}", _ => new FixedWindowRateLimiterOptions { PermitLimit = partition.PerMinute, Window = Window, QueueLimit = 0 });
            });
            options.OnRejected = RejectAsync;
        });

    /// <summary>Which count a request falls in, or null when it is not limited.</summary>
    internal static RatePartition? Classify(HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<ConfigHolder>().Current.Server.Limits;
        var request = context.Request;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (request.Path.Equals("/api/v1/health", StringComparison.Ordinal) || request.Path.Equals("/metrics", StringComparison.Ordinal))
        {
            return new RatePartition($"monitoring {address}", "monitoring-requests-per-minute", limits.MonitoringRequestsPerMinute, $"client {address}");
        }

        if (request.Path.Equals("/ui/login", StringComparison.Ordinal) && HttpMethods.IsPost(request.Method))
        {
            return new RatePartition($"login {address}", "login-attempts-per-minute", limits.LoginAttemptsPerMinute, $"client {address}");
        }

        if (!request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            return null;
        }

        if (context.User.Identity?.IsAuthenticated == true)
        {
            var actor = AccessPolicies.Actor(context);
            return new RatePartition($"user {actor}", "requests-per-minute", limits.RequestsPerMinute, actor);
        }

        if (context.Items.ContainsKey(TokenAuthenticationHandler.StoreUnavailableItem))
        {
            // A token the store could not check: answered 503 without touching the store, counted as a user would be.
            return new RatePartition($"unchecked {address}", "requests-per-minute", limits.RequestsPerMinute, $"client {address} whose token cannot be checked while the store is down");
        }

        if (request.Path.Equals("/api/v1/signals", StringComparison.Ordinal) && SignalEndpoints.Authenticate(request, context.RequestServices.GetRequiredService<ConfigHolder>()) is { } pusher)
        {
            return new RatePartition($"push {pusher}", "requests-per-minute", limits.RequestsPerMinute, pusher);
        }

        return new RatePartition($"anonymous {address}", "anonymous-requests-per-minute", limits.AnonymousRequestsPerMinute, $"client {address} without a valid token");
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var partition = Classify(context)!;
        var after = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        AuditMiddleware.AddDetail(context, $"over server.limits.{partition.LimitKey} ({partition.PerMinute})");
        await Results.Problem(
            $"more than {partition.PerMinute} requests a minute from {partition.Who} (server.limits.{partition.LimitKey}); try again in {seconds} s",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "too many requests").ExecuteAsync(context);
    }
}

/// <summary>One count of requests: its key, the config key of its limit, the limit per minute, and whom it counts (for the answer).</summary>
internal sealed record RatePartition(string Key, string LimitKey, int PerMinute, string Who);
