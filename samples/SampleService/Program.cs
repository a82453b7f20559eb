using SampleService;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var release = ReleaseInfo.Load(AppContext.BaseDirectory);
var app = builder.Build();
var readyAt = TimeProvider.System.GetTimestamp();

app.MapGet("/health", () =>
{
    if (TimeProvider.System.GetElapsedTime(readyAt).TotalMilliseconds < release.StartupDelayMs)
    {
        return Results.Json(new { status = "starting", version = release.Version }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    return release.IsBroken
        ? Results.Json(new { status = "failing", version = release.Version }, statusCode: StatusCodes.Status503ServiceUnavailable)
        : Results.Json(new { status = "ok", version = release.Version });
});

app.MapGet("/", () => release.IsBroken
    ? Results.Text($"sample service {release.Version}: internal error\n", statusCode: StatusCodes.Status500InternalServerError)
    : Results.Text($"sample service {release.Version}\n"));

await app.RunAsync();
