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

    [Fact]
    public async Task Command_PrintingItsSecret_DirectlyOrThroughAnEnvironmentVariable_ReportsOnlyItsName()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["TOKEN"] = "{{secret.DEPLOY_TOKEN}}" };
        var step = new CommandStep(["/bin/sh", "-c", "echo \"argv $0\"; echo \"env $TOKEN\" >&2; exit 3", "{{secret.DEPLOY_TOKEN}}"], env, "/", TimeSpan.FromSeconds(10), [0]);

        var outcome = await Run(step);

        outcome.Succeeded.ShouldBeFalse();
        outcome.Output.ShouldContain("argv [secret DEPLOY_TOKEN]");
        outcome.Output.ShouldContain("env [secret DEPLOY_TOKEN]");
        outcome.Output.ShouldNotContain("s3cr3t");
    }

    [Fact]
    public async Task Command_PrintingASecretAnotherStepOfTheRollbackNames_ReportsOnlyItsName()
    {
        var rollbackSecrets = new SecretRedactor([KeyValuePair.Create("HOOK_TOKEN", "h00k-t0ken")]);
        var context = new StepContext("RB-1", 1, NoLedger.Instance, Secrets, rollbackSecrets);

        var outcome = await new CommandStepRunner(new ProcessRunner()).RunAsync(new CommandStep(["/bin/echo", "h00k-t0ken"], new Dictionary<string, string>(StringComparer.Ordinal), "/", TimeSpan.FromSeconds(10), [0]), context);

        outcome.Output.ShouldEndWith("\n[secret HOOK_TOKEN]");
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
    public async Task Http_AnswerEchoingTheSecretWhereTheExcerptIsCut_KeepsNoPartOfIt()
    {
        // The secret starts 4 characters before the excerpt's end: cutting first would keep "s3cr".
        await using var app = await LoopbackApp.StartAsync(web => web.MapPost("/echo", (HttpContext context) =>
            Results.Text(new string('.', 2044) + context.Request.Headers.Authorization.ToString()["Bearer ".Length..] + new string('.', 100))));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer {{secret.DEPLOY_TOKEN}}" };

        var outcome = await Run(new HttpStep("POST", app.BaseUrl + "/echo", headers, null, [], TimeSpan.FromSeconds(10)));

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldEndWith("....[sec [truncated]");
        outcome.Output.ShouldNotContain("s3cr");
    }

    [Fact]
    public async Task Http_NoAnswerInTime_FailsSayingSo()
    {
        await using var app = await LoopbackApp.StartAsync(web => web.MapGet("/slow", async () =>
        {
#pragma warning disable RS0030 // a peer that answers too late, not a wait of the test
            await Task.Delay(5000);
#pragma warning restore RS0030
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
