using System.Net;
using System.Net.Http.Json;
using Rewind.Client;

namespace Rewind.Server.Tests.Dashboard;

/// <summary>The dashboard's login: the token becomes an HttpOnly cookie, and state changes by cookie need the CSRF header.</summary>
public sealed class DashboardLoginTests
{
    [Fact]
    public async Task Login_ValidToken_SetsStrictHttpOnlySessionAndReadableCsrfCookie_NeverEchoesTheToken()
    {
        await using var server = await ServerFixture.StartAsync();
        using var browser = Browser(server, out _);

        using var login = await browser.PostAsJsonAsync(new Uri("ui/login", UriKind.Relative), new { token = Token(server) });

        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await login.Content.ReadAsStringAsync();
        body.ShouldBe("""{"name":"alice","roles":["admin"]}""");
        var cookies = login.Headers.GetValues("Set-Cookie").ToList();
        cookies.ShouldContain(c => c.StartsWith("rewind-session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
        cookies.ShouldContain(c => c.StartsWith("rewind-csrf=", StringComparison.Ordinal) && !c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
        (await browser.GetFromJsonAsync<WhoAmIDto>(new Uri("api/v1/whoami", UriKind.Relative)))!.Name.ShouldBe("alice");
        using var again = await browser.PostAsJsonAsync(new Uri("ui/login", UriKind.Relative), new { token = Token(server) });
        again.StatusCode.ShouldBe(HttpStatusCode.OK); // logging in over a session (another user, a new token) needs no CSRF header
        (await server.Client.GetAuditAsync(limit: 500)).ShouldContain(e => e.Action == "POST /ui/login" && e.Actor == "alice" && e.Result == "200" && !e.Detail.Contains("rwt_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_UnknownTokenOrForm_IsRefusedWithoutACookie()
    {
        await using var server = await ServerFixture.StartAsync();
        using var browser = Browser(server, out _);

        using var unknown = await browser.PostAsJsonAsync(new Uri("ui/login", UriKind.Relative), new { token = "rwt_not-a-token" });
        using var form = await browser.PostAsync(new Uri("ui/login", UriKind.Relative), new FormUrlEncodedContent([new("token", Token(server))]));

        unknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("unknown token");
        unknown.Headers.Contains("Set-Cookie").ShouldBeFalse();
        form.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType); // a cross-site form cannot log a browser in
        form.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await server.Client.GetAuditAsync(limit: 500)).ShouldContain(e => e.Action == "POST /ui/login" && e.Actor == "anonymous" && e.Result == "401");
    }

    [Fact]
    public async Task CookieRequest_WithoutTheCsrfHeader_Is403AndChangesNothing_WithItSucceeds()
    {
        await using var server = await ServerFixture.StartAsync();
        using var browser = Browser(server, out var cookies);
        var csrf = await LogInAsync(server, browser, cookies);

        using var forged = await browser.PostAsJsonAsync(new Uri("api/v1/components/web/releases", UriKind.Relative), new { version = "v1" });
        using var guessed = await Send(browser, "api/v1/components/web/releases", new { version = "v1" }, "AAAA");
        var releasesAfterForgery = await server.Client.GetReleasesAsync("web");
        using var genuine = await Send(browser, "api/v1/components/web/releases", new { version = "v1" }, csrf);

        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forged.Content.ReadAsStringAsync()).ShouldContain("CSRF check failed");
        guessed.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        releasesAfterForgery.ShouldBeEmpty();
        genuine.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await server.Client.GetAuditAsync(limit: 500)).ShouldContain(e => e.Action == "POST /api/v1/components/{name}/releases" && e.Result == "403" && e.Detail.Contains("CSRF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logout_WithTheHeader_ClearsBothCookies_WithoutIt_Is403()
    {
        await using var server = await ServerFixture.StartAsync();
        using var browser = Browser(server, out var cookies);
        var csrf = await LogInAsync(server, browser, cookies);

        using var forged = await browser.PostAsync(new Uri("ui/logout", UriKind.Relative), null);
        using var logout = await Send(browser, "ui/logout", null, csrf);
        using var after = await browser.GetAsync(new Uri("api/v1/whoami", UriKind.Relative));

        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        logout.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        cookies.GetCookies(server.Http.BaseAddress!).ShouldBeEmpty();
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_WithoutTheSessionCookieOrWithAWrongHeader_Is403WithoutSetCookie_AndTheSessionGoesOn()
    {
        await using var server = await ServerFixture.StartAsync();
        using var browser = Browser(server, out var cookies);
        var csrf = await LogInAsync(server, browser, cookies);
        using var crossSite = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.Http.BaseAddress };

        using var noCookie = await crossSite.PostAsync(new Uri("ui/logout", UriKind.Relative), new FormUrlEncodedContent([]));
        using var noCookieWithHeader = await Send(crossSite, "ui/logout", null, csrf);
        using var wrongHeader = await Send(browser, "ui/logout", null, "AAAA");
        using var after = await browser.GetAsync(new Uri("api/v1/whoami", UriKind.Relative));

        foreach (var refused in new[] { noCookie, noCookieWithHeader, wrongHeader })
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await refused.Content.ReadAsStringAsync()).ShouldContain("CSRF check failed");
            refused.Headers.Contains("Set-Cookie").ShouldBeFalse();
        }

        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        cookies.GetCookies(server.Http.BaseAddress!).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Pages_RootRedirects_FilesCarryETagsAndAStrictContentSecurityPolicy()
    {
        await using var server = await ServerFixture.StartAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Http.BaseAddress };

        using var root = await anonymous.GetAsync(new Uri("/", UriKind.Relative));
        using var index = await anonymous.GetAsync(new Uri("/ui/", UriKind.Relative));
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/ui/js/app.js", UriKind.Relative));
        using var script = await anonymous.GetAsync(new Uri("/ui/js/app.js", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        using var revalidated = await anonymous.SendAsync(again);
        using var missing = await anonymous.GetAsync(new Uri("/ui/nothing.js", UriKind.Relative));

        root.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        root.Headers.Location!.OriginalString.ShouldBe("/ui/");
        index.StatusCode.ShouldBe(HttpStatusCode.OK);
        index.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");
        (await index.Content.ReadAsStringAsync()).ShouldNotContain("<script>"); // no inline script: the policy allows none
        script.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        revalidated.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>Logs the cookie jar in as the fixture's admin and answers the session's CSRF value.</summary>
    private static async Task<string> LogInAsync(ServerFixture server, HttpClient browser, CookieContainer cookies)
    {
        using var login = await browser.PostAsJsonAsync(new Uri("ui/login", UriKind.Relative), new { token = Token(server) });
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        return cookies.GetCookies(server.Http.BaseAddress!)["rewind-csrf"]!.Value;
    }

    private static string Token(ServerFixture server) => server.Http.DefaultRequestHeaders.Authorization!.Parameter!;

    private static HttpClient Browser(ServerFixture server, out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = server.Http.BaseAddress };
    }

    private static async Task<HttpResponseMessage> Send(HttpClient browser, string path, object? body, string csrf)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Rewind-CSRF", csrf);
        return await browser.SendAsync(request);
    }
}
