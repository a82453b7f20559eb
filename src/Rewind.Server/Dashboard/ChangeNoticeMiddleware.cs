using Microsoft.AspNetCore.Http;

namespace Rewind.Server.Dashboard;

/// <summary>
/// After an API call changed something, tells the event stream at once: what the route names (an incident, a
/// rollback, a component) is announced now, and the store is read now for what else the call touched.
/// </summary>
internal sealed class ChangeNoticeMiddleware(RequestDelegate next, ChangeFeed feed)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || context.Response.StatusCode >= 400 || !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || Api.AgentEndpoints.IsPoll(context))
        {
            return;
        }

        if (Api.AgentEndpoints.IsAgentWork(context))
        {
            feed.Poke(); // a report: the store is read for what changed (its route value is an attempt, not a rollback)
            return;
        }

        foreach (var value in context.Request.RouteValues.Values.OfType<string>())
        {
            var kind = value.StartsWith("INC-", StringComparison.Ordinal) ? "incident" : value.StartsWith("RB-", StringComparison.Ordinal) ? "rollback" : null;
            if (kind is not null)
            {
                feed.Publish(kind, value);
            }
        }

        if (context.Request.RouteValues.TryGetValue("name", out var name) && name is string component && context.Request.Path.StartsWithSegments("/api/v1/components", StringComparison.Ordinal))
        {
            feed.Publish("component", component);
        }

        feed.Poke();
    }
}
