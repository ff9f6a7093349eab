using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Infrastructure.Storage;

namespace RenderOwl.Rendering.Tests;

public sealed class StorageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("renderowl-storage-").FullName;

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("assets/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("assets/..")]
    [InlineData("assets/a b")]
    [InlineData("Assets/x")]
    [InlineData("assets")]
    [InlineData("assets/x/../../../y")]
    public void Keys_cannot_leave_the_root(string key)
    {
        var storage = new LocalObjectStorage(_root);
        Assert.Throws<ArgumentException>(() => storage.LocalPath(key));
    }

    [Fact]
    public async Task A_write_past_the_limit_leaves_nothing_and_a_good_write_is_whole()
    {
        var storage = new LocalObjectStorage(_root);
        await Assert.ThrowsAsync<ObjectTooLargeException>(() => storage.WriteAsync("assets/2026/big", new MemoryStream(new byte[2048]), 1024, CancellationToken.None));
        Assert.False(File.Exists(storage.LocalPath("assets/2026/big")));
        Assert.Empty(storage.Keys());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".scratch")));

        var stored = await storage.WriteAsync("assets/2026/ok", new MemoryStream([1, 2, 3]), 1024, CancellationToken.None);
        Assert.Equal(3, stored.SizeBytes);
        Assert.Equal("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", stored.Sha256);
        Assert.Equal(["assets/2026/ok"], storage.Keys());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
