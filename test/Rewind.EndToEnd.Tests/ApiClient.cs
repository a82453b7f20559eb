using System.Net.Http.Headers;
using Rewind.Client;

namespace Rewind.EndToEnd.Tests;

/// <summary>A client of a controller started by a test, acting with <c>token</c>.</summary>
internal static class ApiClient
{
    public static RewindClient For(Uri baseAddress, string token, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new RewindClient(http);
    }
}
