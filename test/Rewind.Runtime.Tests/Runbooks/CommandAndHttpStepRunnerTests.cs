using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Runbooks;

/// <summary>Command and HTTP plan steps against real processes and a real server on loopback; secrets filled only at the call.</summary>
public sealed class CommandAndHttpStepRunnerTests
{
    private static readonly Func<string, string?> Secrets = name => name == "DEPLOY_TOKEN" ? "s3cr3t" : null;

    [Fact]
    public async Task Command_SecretInTheEnvironment_ReachesTheProcessButNotTheStep()
    {
        var step = new CommandStep(["/bin/sh", "-c", "echo token of ${#TOKEN} characters"], new Dictionary<string, string>(StringComparer.Ordinal) { ["TOKEN"] = "{{secret.DEPLOY_TOKEN}}" }, "/", TimeSpan.FromSeconds(10), [0]);

        var outcome = await Run(step);

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldEndWith("token of 6 characters");
        step.Describe().ShouldContain("TOKEN={{secret.DEPLOY_TOKEN}}");
        step.Describe().ShouldNotContain("s3cr3t");
    }

    [Theory]
    [InlineData(3, new[] { 0, 3 }, true)]
    [InlineData(3, new[] { 0 }, false)]
    public async Task Command_AcceptedExitCodes_DecideTheOutcome(int exit, int[] accept, bool succeeded)
    {
        var outcome = await Run(new CommandStep(["/bin/sh", "-c", $"exit {exit}"], new Dictionary<string, string>(StringComparer.Ordinal), "/", TimeSpan.FromSeconds(10), accept));

        outcome.Succeeded.ShouldBe(succeeded);
        outcome.Output.ShouldStartWith($"exit {exit} in ");
    }

    [Fact]
    public async Task Command_MissingSecret_RunsNothingAndNamesTheVariable()
    {
        var outcome = await Run(new CommandStep(["/bin/echo", "{{secret.NOT_SET_ANYWHERE}}"], new Dictionary<string, string>(StringComparer.Ordinal), "/", TimeSpan.FromSeconds(10), [0]));

        outcome.ShouldBe(StepOutcome.Failure("secret NOT_SET_ANYWHERE: the environment variable is not set"));
    }

    [Fact]
    public async Task Http_HeaderSecretAndBody_ArriveAndTheStatusDecides()
    {
        string? seenAuthorization = null;
        string? seenBody = null;
        await using var app = await LoopbackApp.StartAsync(web =>
        {
            web.MapPost("/maintenance", async (HttpContext context) =>
            {
                seenAuthorization = context.Request.Headers.Authorization;
                seenBody = await new StreamReader(context.Request.Body).ReadToEndAsync();
                return Results.Ok(new { maintenance = true });
            });
            web.MapPost("/broken", () => Results.StatusCode(503));
        });
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer {{secret.DEPLOY_TOKEN}}" };

        var ok = await Run(new HttpStep("POST", app.BaseUrl + "/maintenance", headers, "{\"on\":true}", [], TimeSpan.FromSeconds(10)));
        var broken = await Run(new HttpStep("POST", app.BaseUrl + "/broken", headers, null, [200], TimeSpan.FromSeconds(10)));

        ok.Succeeded.ShouldBeTrue(ok.Output);
        ok.Output.ShouldStartWith($"POST {app.BaseUrl}/maintenance: status 200 in ");
        ok.Output.ShouldEndWith("{\"maintenance\":true}");
        (seenAuthorization, seenBody).ShouldBe(("Bearer s3cr3t", "{\"on\":true}"));
        broken.Succeeded.ShouldBeFalse();
        broken.Output.ShouldContain(": status 503 in ");
        broken.Output.ShouldContain(", expected 200");
    }

    [Fact]
    public async Task Http_NoAnswerInTime_FailsSayingSo()
    {
        await using var app = await LoopbackApp.StartAsync(web => web.MapGet("/slow", async () =>
        {
            await Task.Delay(5000);
            return Results.Ok();
        }));

        var outcome = await Run(new HttpStep("GET", app.BaseUrl + "/slow", new Dictionary<string, string>(StringComparer.Ordinal), null, [], TimeSpan.FromMilliseconds(300)));

        outcome.ShouldBe(StepOutcome.Failure($"GET {app.BaseUrl}/slow: no answer within 300ms"));
    }

    private static Task<StepOutcome> Run(PlanStep step)
    {
        var context = new StepContext("RB-1", 0, NoLedger.Instance, Secrets);
        return step switch
        {
            HttpStep => new HttpStepRunner(Client, TimeProvider.System).RunAsync(step, context),
            _ => new CommandStepRunner(new ProcessRunner()).RunAsync(step, context),
        };
    }

    private static readonly HttpClient Client = new();
}
