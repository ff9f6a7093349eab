using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.UnitTests;

public sealed class TypedIdTests
{
    [Fact]
    public void Round_trips_through_the_prefixed_form()
    {
        var id = TypedId.New<ProjectId>(DateTimeOffset.UtcNow);
        var text = id.ToString();
        Assert.Matches("^proj_[0-9a-hjkmnp-tv-z]{26}$", text);
        Assert.True(ProjectId.TryParse(text, null, out var parsed));
        Assert.Equal(id, parsed);
        Assert.True(ProjectId.TryParse(text.ToUpperInvariant().Replace("PROJ_", "proj_", StringComparison.Ordinal), null, out var upper));
        Assert.Equal(id, upper);
    }

    [Fact]
    public void Text_order_is_creation_order()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 200).Select(i => TypedId.New<UserId>(start.AddMilliseconds(i * 7)).ToString()).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("proj_")]
    [InlineData("usr_01m84m650ze9qrgnbyzgm09bz5")] // another resource's prefix
    [InlineData("proj01m84m650ze9qrgnbyzgm09bz5")]
    [InlineData("proj_01m84m650ze9qrgnbyzgm09bz")] // 25 characters
    [InlineData("proj_01m84m650ze9qrgnbyzgm09bz55")] // 27 characters
    [InlineData("proj_01m84m650ze9qrgnbyzgm09bzu")] // 'u' is not in the alphabet
    [InlineData("proj_81m84m650ze9qrgnbyzgm09bz5")] // first character above 7 overflows 128 bits
    public void Rejects_anything_else(string? text) => Assert.False(ProjectId.TryParse(text, null, out _));

    [Fact]
    public void Encodes_the_extremes()
    {
        Assert.Equal(new string('0', 26), CrockfordBase32.Encode(Guid.Empty));
        Assert.Equal("7" + new string('z', 25), CrockfordBase32.Encode(Guid.AllBitsSet));
        Assert.True(CrockfordBase32.TryDecode("7" + new string('z', 25), out var max));
        Assert.Equal(Guid.AllBitsSet, max);
    }
}
