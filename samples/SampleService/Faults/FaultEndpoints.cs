using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SampleService.Faults;

/// <summary><c>GET /admin/fault</c> shows the faults in force; <c>POST /admin/fault</c> changes any of them.</summary>
internal static class FaultEndpoints
{
    public static void MapFaultEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/fault");
        group.MapGet("/", (FaultState faults) => TypedResults.Ok(faults.Current));
        group.MapPost("/", UpdateAsync);
    }

    private static async Task<Results<Ok<FaultSettings>, ValidationProblem>> UpdateAsync(
        HttpRequest request, FaultState faults, CancellationToken cancellationToken = default)
    {
        FaultUpdate? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync<FaultUpdate>(request.Body, FaultUpdate.StrictJson, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Invalid("body", ex.Message);
        }

        if (update is null)
        {
            return Invalid("body", "expected a JSON object with errorFraction, addedLatencyMs or memoryGrowthMbPerMinute");
        }

        var errors = update.Validate();
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "Invalid fault settings")
            : TypedResults.Ok(faults.Apply(update));
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] }, title: "Invalid fault settings");
}
