using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Rewind.Server.Access;

/// <summary>
/// The dashboard's login: the API token in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS), so page scripts never
/// hold it, and a second, readable cookie with the CSRF value derived from the token, which the page sends back in
/// <see cref="CsrfHeader"/> on every request that changes state (double submit; a cross-site page can read neither).
/// The value is derived, not stored, so every replica checks it the same way.
/// </summary>
internal static class SessionCookie
{
    public const string Name = "rewind-session";
    public const string CsrfName = "rewind-csrf";
    public const string CsrfHeader = "X-Rewind-CSRF";

    /// <summary>How long a login lasts at most; a token that expires sooner ends it sooner. Default 12 h.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(12);

    public static string CsrfValue(string token) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes("rewind-csrf\n" + token)));

    /// <summary>Whether <paramref name="sent"/> is the CSRF value of <paramref name="token"/>, compared in fixed time.</summary>
    public static bool CsrfMatches(string token, string? sent) =>
        sent is { Length: > 0 and < 128 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CsrfValue(token)), Encoding.ASCII.GetBytes(sent));

    public static void Issue(HttpResponse response, string token, DateTimeOffset expires)
    {
        var secure = response.HttpContext.Request.IsHttps;
        response.Cookies.Append(Name, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", Expires = expires, IsEssential = true });
        response.Cookies.Append(CsrfName, CsrfValue(token), new CookieOptions { HttpOnly = false, SameSite = SameSiteMode.Strict, Secure = secure, Path = "/", Expires = expires, IsEssential = true });
    }

    public static void Clear(HttpResponse response)
    {
        var secure = response.HttpContext.Request.IsHttps;
        response.Cookies.Delete(Name, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, Secure = secure });
        response.Cookies.Delete(CsrfName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, Secure = secure });
    }
}
