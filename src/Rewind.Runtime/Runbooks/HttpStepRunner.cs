using System.Globalization;
using System.Text;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Runbooks;

/// <summary>Runs <see cref="HttpStep"/>: one request, secrets filled into headers and body at the last moment; redirects are not followed.</summary>
public sealed class HttpStepRunner(HttpClient http, TimeProvider time) : IStepRunner
{
    private const int BodyExcerpt = 2048;

    public string Kind => HttpStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var planned = StepRunnerGuard.Expect<HttpStep>(planStep);
        var secrets = context.SecretsOf(planned);
        using var request = new HttpRequestMessage(new HttpMethod(planned.Method), new Uri(planned.Url));
        try
        {
            if (planned.Body is { } body)
            {
                request.Content = new StringContent(PlanTemplate.RenderCall(body, null, context.Environment), Encoding.UTF8, "application/json");
            }

            foreach (var (name, value) in planned.Headers)
            {
                var filled = PlanTemplate.RenderCall(value, null, context.Environment);
                if (!request.Headers.TryAddWithoutValidation(name, filled))
                {
                    request.Content?.Headers.Remove(name);
                    request.Content?.Headers.TryAddWithoutValidation(name, filled);
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            return StepOutcome.Failure(ex.Message);
        }

        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(planned.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // The whole answer is redacted before it is cut to an excerpt, so that no cut leaves part of a secret behind.
            var text = secrets.Redact(await response.Content.ReadAsStringAsync(timeout.Token));
            var status = (int)response.StatusCode;
            var ok = planned.ExpectStatus.Count == 0 ? status is >= 200 and < 300 : planned.ExpectStatus.Contains(status);
            var excerpt = text.Length > BodyExcerpt ? text[..BodyExcerpt] + " [truncated]" : text;
            return new StepOutcome(ok, string.Create(CultureInfo.InvariantCulture, $"{planned.Method} {Redaction.Url(planned.Url)}: status {status} in {Durations.Format(time.GetElapsedTime(started))}{(ok ? "" : $", expected {(planned.ExpectStatus.Count == 0 ? "2xx" : string.Join("|", planned.ExpectStatus))}")}{(excerpt.Length == 0 ? "" : "\n" + excerpt.TrimEnd())}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StepOutcome.Failure($"{planned.Method} {Redaction.Url(planned.Url)}: no answer within {Durations.Format(planned.Timeout)}");
        }
        catch (HttpRequestException ex)
        {
            return StepOutcome.Failure($"{planned.Method} {Redaction.Url(planned.Url)}: {secrets.Redact(ex.Message)}");
        }
    }
}
