using SampleService;
using SampleService.Faults;
using SampleService.Metrics;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var release = ReleaseInfo.Load(AppContext.BaseDirectory);
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
