using Rewind.Core.Incidents;

namespace Rewind.Core.Tests.Incidents;

public sealed class DailyIdTests
{
    [Fact]
    public void Format_IsPrefixDayAndFourDigitNumber() =>
        DailyId.Format(DailyId.IncidentPrefix, new DateOnly(2025, 9, 27), 1).ShouldBe("INC-2025-09-27-0001");

    [Fact]
    public void Day_IsTheUtcDay() =>
        DailyId.DayKey(new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.FromHours(-5))).ShouldBe("2026-11-23");
}
