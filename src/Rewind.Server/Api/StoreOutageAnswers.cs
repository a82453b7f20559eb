using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Rewind.Server.Hosting;
using Rewind.Storage;

namespace Rewind.Server.Api;

/// <summary>
/// A request that failed because the store cannot serve (<see cref="StoreFactory.IsUnavailable"/>) is answered 503
/// <c>store unavailable</c> with <c>Retry-After</c>, as problem details, and logged in one line a minute while the outage
/// lasts; any other failure is left to the default 500 answer.
/// </summary>
internal sealed class StoreOutageAnswers(IProblemDetailsService problems, TimeProvider time, ILogger<StoreOutageAnswers> logger) : IExceptionHandler
{
    /// <summary>What a client is told to wait before asking again.</summary>
    public const int RetryAfterSeconds = 5;

    private readonly StoreOutageLog _outage = new(time);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!StoreFactory.IsUnavailable(exception))
        {
            return false;
        }

        if (_outage.Filter(exception) is { } shown)
        {
            ServerLog.ApiStoreUnavailable(logger, $"{httpContext.Request.Method} {httpContext.Request.Path}", shown.Message);
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "store unavailable",
                Detail = "the store does not answer, so this cannot be read or recorded now; the controller keeps watching from memory and pages about the outage. Try again shortly; GET /api/v1/health says when the store is back.",
            },
        });
    }
}
