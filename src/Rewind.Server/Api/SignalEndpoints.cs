using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Server.Hosting;

namespace Rewind.Server.Api;

/// <summary>
/// <c>POST /api/v1/signals</c>: events pushed by applications, authenticated by a push token (kept as a SHA-256 hash in
/// the config), validated and size-limited; and <c>GET /api/v1/components/{name}/signals</c>, the latest value of each signal.
/// </summary>
internal static class SignalEndpoints
{
    public const int MaxBodyBytes = 16 * 1024;
    private static readonly TimeSpan OldestAccepted = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FurthestAhead = TimeSpan.FromMinutes(1);

    public static void MapSignalEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/signals", PushAsync).AllowAnonymous(); // push tokens, checked here
        api.MapGet("/components/{name}/signals", (string name, ConfigHolder config, DecisionEngine engine) =>
            config.Component(name) is null
                ? (IResult)Problems.NotFound("unknown component", $"component {name} is not in the config")
                : TypedResults.Ok(engine.LatestSignals(name).Select(p => new SignalDto(p.Signal, p.At, p.Value, p.Error)).ToList()));
    }

    private static async Task<IResult> PushAsync(HttpRequest http, ConfigHolder config, DecisionEngine engine, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (Authenticate(http, config) is not { } pusher)
        {
            http.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"rewind\"";
            return Problem(StatusCodes.Status401Unauthorized, "not authenticated", "send Authorization: Bearer TOKEN with a push token the server knows (server.push-tokens)");
        }

        var (request, error) = await ReadAsync(http, cancellationToken);
        if (request is null)
        {
            return error!;
        }

        var now = time.GetUtcNow();
        if (config.Component(request.Component ?? "") is not { } component)
        {
            return Problems.NotFound("unknown component", $"component '{request.Component}' is not in the config");
        }

        var at = request.At ?? now;
        var problem = (request, component) switch
        {
            _ when string.IsNullOrEmpty(request.Event) || !component.Events.ContainsKey(request.Event) =>
                $"event '{request.Event}' is not declared for {request.Component}; declared: {(component.Events.Count == 0 ? "none" : string.Join(", ", component.Events.Keys.Order(StringComparer.Ordinal)))}",
            _ when request.Count is < 1 or > 100_000 => $"count {request.Count} must be from 1 to 100000",
            _ when at < now - OldestAccepted || at > now + FurthestAhead => $"at {Timestamps.Format(at)} is outside the accepted range: at most 5 minutes ago and 1 minute ahead of the server's clock ({Timestamps.Format(now)})",
            _ when request.Detail is { Length: > 1000 } => "detail is longer than 1000 characters",
            _ => null,
        };
        if (problem is not null)
        {
            return Problems.Invalid("invalid event", problem);
        }

        await engine.ObserveEventAsync(request.Component!, request.Event!, request.Count, at, cancellationToken);
        ServerLog.EventPushed(loggers.CreateLogger("Rewind.Server.Signals"), request.Component!, request.Event!, request.Count, pusher);
        return TypedResults.Accepted((string?)null, new PushedEventDto(request.Component!, request.Event!, request.Count, at, pusher));
    }

    /// <summary>The push token's name when the bearer token hashes to one of the configured hashes (compared in fixed time).</summary>
    internal static string? Authenticate(HttpRequest http, ConfigHolder config)
    {
        var header = http.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return null;
        }

        var presented = Encoding.ASCII.GetBytes("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()))));
        string? match = null;
        foreach (var (name, hash) in config.Current.Server.PushTokens)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(hash)))
            {
                match = $"token:{name}";
            }
        }

        return match;
    }

    private static async Task<(Request? Request, IResult? Error)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (http.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        if (http.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported media type", "send the event as application/json"));
        }

        // Read at most one byte past the limit, whatever Content-Length said (or did not say, when chunked).
        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await http.Body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        if (read > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        try
        {
            var request = JsonSerializer.Deserialize<Request>(buffer.AsSpan(0, read), RewindJson.Options);
            return request is null
                ? (null, Problems.Invalid("invalid event", "the body is empty; expected {\"component\": …, \"event\": …}"))
                : (request, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid("invalid event", $"the body is not a valid event: {ex.Message}"));
        }
    }

    private static ProblemHttpResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "event too large", $"an event body is at most {MaxBodyBytes} bytes; aggregate with count instead of sending many");

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);

    /// <summary>The body as sent; nullable so a missing field is a clear 400, not a serializer exception.</summary>
    private sealed record Request(string? Component, string? Event, long Count = 1, DateTimeOffset? At = null, string? Detail = null);
}
