using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rewind.Server.Api;

/// <summary>RFC 7807 problem details with titles an operator can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string title, string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Conflict(string title, string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    public static ProblemHttpResult Invalid(string title, string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
