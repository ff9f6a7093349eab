namespace RenderOwl.Application.Assets;

/// <summary>The file extension an asset is downloaded (or exported) under, from its content type.</summary>
public static class AssetFiles
{
    public static string Extension(string contentType)
        => contentType.Split('/') is [_, var sub, ..] ? sub switch { "jpeg" => "jpg", "mpeg" => "mp3", "quicktime" => "mov", var e => e } : "bin";
}
