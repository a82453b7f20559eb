using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.TestUtils;

namespace Rewind.Client.Tests;

public sealed class RewindClientTests : IAsyncLifetime
{
    private LoopbackApp? _app;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        _app = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/api/v1/rollbacks/{id}", (string id) => id == "RB-2026-11-22-0001"
                ? Results.Json(new RollbackDto(id, "web", "INC-2026-11-22-0001", "v2", "v1", "succeeded", "why", "policy:down", DateTimeOffset.UnixEpoch, null, null, null, [new RollbackStepDto(0, "switch", "switch", "succeeded", 1, null, null, "ok")]), RewindJson.Options)
                : Results.Problem("rollback RB-x does not exist", statusCode: 404, title: "unknown rollback"));
            app.MapPost("/api/v1/rollbacks", () => Results.Problem("web has no known-good release", statusCode: 409, title: "rollback refused"));
            app.MapGet("/api/v1/health", () => Results.Text("<html>proxy error</html>", "text/html", statusCode: 502));
        });
        _http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl + "/") };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetRollbackAsync_Found_ReadsTheContract()
    {
        var rollback = await new RewindClient(_http!).GetRollbackAsync("RB-2026-11-22-0001");

        rollback.Component.ShouldBe("web");
        rollback.Steps.ShouldHaveSingleItem().Output.ShouldBe("ok");
    }

    [Fact]
    public async Task GetRollbackAsync_ProblemDetails_BecomeTheExceptionMessage()
    {
        var error = await Should.ThrowAsync<RewindApiException>(() => new RewindClient(_http!).GetRollbackAsync("RB-x"));

        error.Status.ShouldBe(404);
        error.Message.ShouldBe("unknown rollback: rollback RB-x does not exist");
    }

    [Fact]
    public async Task RequestRollbackAsync_Refused_CarriesStatusAndDetail()
    {
        var error = await Should.ThrowAsync<RewindApiException>(() => new RewindClient(_http!).RequestRollbackAsync(new RollbackRequest("web", "test")));

        error.Status.ShouldBe(409);
        error.Detail.ShouldBe("web has no known-good release");
    }

    [Fact]
    public async Task GetHealthAsync_NonJsonError_KeepsTheBodyAsDetail()
    {
        var error = await Should.ThrowAsync<RewindApiException>(() => new RewindClient(_http!).GetHealthAsync());

        error.Status.ShouldBe((int)HttpStatusCode.BadGateway);
        error.Detail.ShouldBe("<html>proxy error</html>");
    }

    [Fact]
    public void Contracts_SerializeCamelCase()
    {
        var json = JsonSerializer.Serialize(new RollbackRequest("web", "bad deploy", "v1", DryRun: true), RewindJson.Options);

        json.ShouldBe("""{"component":"web","reason":"bad deploy","toVersion":"v1","dryRun":true,"requestedBy":null,"emergency":false,"policy":null,"allowSchemaChange":false}""");
    }
}
