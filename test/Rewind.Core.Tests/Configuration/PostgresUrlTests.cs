using System.Data.Common;
using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class PostgresUrlTests
{
    [Fact]
    public void TryParse_FullUrl_DecodesEveryPart()
    {
        PostgresUrl.TryParse("postgresql://rewind%40ops:p%3As%2Fs%20w@db.example:6543/rewind%2Dprod?sslmode=require", out var url).ShouldBeTrue();

        (url!.Host, url.Port, url.Username, url.Password, url.Database).ShouldBe(("db.example", 6543, "rewind@ops", "p:s/s w", "rewind-prod"));
        url.Options.ShouldBe([new KeyValuePair<string, string>("sslmode", "require")]);
    }

    [Fact]
    public void TryParse_NoPortNoPasswordNoDatabase_UsesDefaults()
    {
        PostgresUrl.TryParse("postgres://postgres@127.0.0.1", out var url).ShouldBeTrue();

        (url!.Port, url.Username, url.Password, url.Database).ShouldBe((5432, "postgres", null, ""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("mysql://u@h/db")]
    [InlineData("postgres://")]
    [InlineData("postgres:///db")]
    [InlineData("127.0.0.1:5432")]
    public void TryParse_NotAPostgresUrl_IsFalse(string text) => PostgresUrl.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void WriteTo_ConnectionStringBuilder_HoldsEveryPartAndOption()
    {
        var builder = PostgresUrl.Parse("postgres://app:s%3Bcret@db:6000/orders?sslmode=require").WriteTo(new DbConnectionStringBuilder());

        builder["Host"].ShouldBe("db");
        builder["Port"].ShouldBe("6000");
        builder["Username"].ShouldBe("app");
        builder["Password"].ShouldBe("s;cret");
        builder["Database"].ShouldBe("orders");
        builder["sslmode"].ShouldBe("require");
    }

    [Theory]
    [InlineData("postgres://app:hunter2@db:6000/orders", "postgres://app:***@db:6000/orders")]
    [InlineData("postgresql://app@db/orders", "postgres://app@db:5432/orders")]
    [InlineData("postgres://app@db/orders?password=hunter2&sslmode=require", "postgres://app@db:5432/orders?password=***&sslmode=require")]
    public void ToString_NeverShowsThePassword(string text, string shown) => PostgresUrl.Parse(text).ToString().ShouldBe(shown);

    [Fact]
    public void Parse_NotAUrl_ThrowsWithoutRepeatingTheText()
    {
        Should.Throw<ArgumentException>(() => PostgresUrl.Parse("postgres//app:hunter2@db"))
            .Message.ShouldNotContain("hunter2");
    }

    [Theory]
    [InlineData("https://ops:hunter2@example.com/health", "https://ops:***@example.com/health")]
    [InlineData("https://ops:hunter2@example.com", "https://ops:***@example.com")]
    [InlineData("https://ops:hun%40ter2@example.com:8443/a%20b?x=%2F#top", "https://ops:***@example.com:8443/a%20b?x=%2F#top")]
    [InlineData("https://ops@example.com/health", "https://ops@example.com/health")]
    [InlineData("https://example.com/health", "https://example.com/health")]
    [InlineData("postgres://app:hunter2@db/orders", "postgres://app:***@db:5432/orders")]
    [InlineData("sqlite:/var/lib/rewind/rewind.db", "sqlite:/var/lib/rewind/rewind.db")]
    public void RedactionUrl_HidesPasswordsOnly(string url, string shown) => Redaction.Url(url).ShouldBe(shown);
}
