using Microsoft.AspNetCore.Http;
using Rewind.Engine.Hosting;

namespace Rewind.Server.Hosting;

/// <summary>Each request is answered from one config: a reload while it runs never mixes the old and the new in one answer.</summary>
internal sealed class ConfigPinMiddleware(RequestDelegate next, ConfigHolder config)
{
    public async Task InvokeAsync(HttpContext context)
    {
        using var pinned = config.Pin();
        await next(context);
    }
}
