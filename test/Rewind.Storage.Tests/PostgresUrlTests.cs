using Npgsql;

namespace Rewind.Storage.Tests;

public sealed class PostgresUrlTests
{
    [Fact]
    public void ConnectionString_EncodedUserAndPassword_DecodesThem()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            StoreFactory.ConnectionString("postgresql://rewind%40ops:p%3As%2Fs%20w@db.example:6543/rewind%2Dprod?sslmode=require"));

        builder.Username.ShouldBe("rewind@ops");
        builder.Password.ShouldBe("p:s/s w");
        builder.Host.ShouldBe("db.example");
        builder.Port.ShouldBe(6543);
        builder.Database.ShouldBe("rewind-prod");
        builder.SslMode.ShouldBe(SslMode.Require);
    }

    [Fact]
    public void ConnectionString_NoPortNoPassword_UsesDefaultPort()
    {
        var builder = new NpgsqlConnectionStringBuilder(StoreFactory.ConnectionString("postgres://postgres@127.0.0.1/postgres"));

        builder.Port.ShouldBe(5432);
        builder.Username.ShouldBe("postgres");
        builder.Password.ShouldBeNull();
    }

    [Fact]
    public void Open_UnknownOption_ThrowsNamingIt()
    {
        Should.Throw<FormatException>(() => StoreFactory.Open("postgres://u@h/db?no_such_option=1"))
            .Message.ShouldContain("no_such_option");
    }

    [Fact]
    public void Open_UnknownScheme_ThrowsWithBothForms()
    {
        Should.Throw<ArgumentException>(() => StoreFactory.Open("mysql://u@h/db"))
            .Message.ShouldContain("postgres://");
    }
}
