using SampleService.Faults;
using SampleService.Metrics;

namespace SampleService;

/// <summary>
/// The sample service, served from a release directory (its <c>release.json</c> says healthy or broken). Its own
/// executable serves the directory it was built into; a packaged <c>rewind</c> serves a release directory through its
/// hidden <c>rewind sample-service &lt;release-dir&gt;</c>, so the demo runs on a host with no .NET installed.
/// </summary>
public static class SampleServiceApp
{
    /// <param name="args">ASP.NET Core arguments, e.g. <c>--urls http://127.0.0.1:5000</c>.</param>
    /// <param name="releaseDirectory">The directory holding <c>release.json</c>; also the content root.</param>
    public static async Task RunAsync(string[] args, string releaseDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = releaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var release = ReleaseInfo.Load(releaseDirectory);
        var timeProvider = TimeProvider.System;
        var metrics = new RequestMetrics();
        builder.Services.AddSingleton(timeProvider);
        builder.Services.AddSingleton(new FaultState(release.Faults.ApplyTo(FaultSettings.None)));
        builder.Services.AddHostedService<MemoryGrowthHostedService>();

        var app = builder.Build();
        var readyAt = timeProvider.GetTimestamp();
        app.UseRequestMetrics(metrics, timeProvider);

        app.MapGet("/health", () =>
        {
            if (timeProvider.GetElapsedTime(readyAt).TotalMilliseconds < release.StartupDelayMs)
            {
                return Results.Json(new { status = "starting", version = release.Version }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return release.IsBroken
                ? Results.Json(new { status = "failing", version = release.Version }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Json(new { status = "ok", version = release.Version });
        });

        app.MapGet("/", async (FaultState faults, CancellationToken cancellationToken) =>
        {
            await AddedLatency.WaitAsync(TimeSpan.FromMilliseconds(faults.Current.AddedLatencyMs), timeProvider, cancellationToken);

            return release.IsBroken || faults.FailsThisRequest()
                ? Results.Text($"sample service {release.Version}: internal error\n", statusCode: StatusCodes.Status500InternalServerError)
                : Results.Text($"sample service {release.Version}\n");
        });

        app.MapFaultEndpoints();
        app.MapMetrics(metrics, release);

        await app.RunAsync();
    }
}
