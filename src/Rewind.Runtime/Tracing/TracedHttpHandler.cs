using System.Diagnostics;

namespace Rewind.Runtime.Tracing;

/// <summary>
/// A client span per HTTP call made inside a traced operation (a plan step): method, URL without user info, query or
/// fragment, server, status. Headers and bodies, where a plan's secrets go, are never read. Calls outside a traced
/// operation pass untouched.
/// </summary>
public sealed class TracedHttpHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var span = Start(request);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (span is { IsAllDataRequested: true })
            {
                var status = (int)response.StatusCode;
                span.SetTag(TraceAttributes.HttpResponseStatusCode, status);
                if (status >= 400)
                {
                    span.SetTag(TraceAttributes.ErrorType, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    span.SetStatus(ActivityStatusCode.Error);
                }
            }

            return response;
        }
        catch (Exception ex)
        {
            Failed(span, ex);
            throw;
        }
    }

    private static Activity? Start(HttpRequestMessage request)
    {
        if (Activity.Current is null || !RewindTracing.Source.HasListeners() || request.RequestUri is not { IsAbsoluteUri: true } url)
        {
            return null;
        }

        var span = RewindTracing.Source.StartActivity(request.Method.Method, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TraceAttributes.HttpRequestMethod, request.Method.Method);
            span.SetTag(TraceAttributes.UrlFull, RewindTracing.SafeUrl(url));
            span.SetTag(TraceAttributes.ServerAddress, url.Host);
            span.SetTag(TraceAttributes.ServerPort, url.Port);
        }

        return span;
    }

    private static void Failed(Activity? span, Exception ex)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TraceAttributes.ErrorType, ex is OperationCanceledException ? "timeout" : ex.GetType().FullName);
            span.SetStatus(ActivityStatusCode.Error, ex is OperationCanceledException ? "no answer in time" : ex.GetType().Name);
        }
    }
}
