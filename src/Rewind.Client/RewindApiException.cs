namespace Rewind.Client;

/// <summary>The server answered with an RFC 7807 problem; <see cref="Exception.Message"/> is its title and detail.</summary>
public sealed class RewindApiException : Exception
{
    public RewindApiException(int status, string title, string? detail)
        : base(detail is null ? title : $"{title}: {detail}")
    {
        Status = status;
        Title = title;
        Detail = detail;
    }

    public RewindApiException()
    {
        Title = "";
    }

    public RewindApiException(string message)
        : base(message)
    {
        Title = message;
    }

    public RewindApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Title = message;
    }

    public int Status { get; }

    public string Title { get; }

    public string? Detail { get; }
}
