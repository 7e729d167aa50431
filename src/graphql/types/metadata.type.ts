import { Field, Float, Int, ObjectType, createUnionType } from "type-graphql";
import type { AssetType } from "../../assets/asset-types";
import type { AssetMetadata } from "../../assets/entities/asset.entity";

/**
 * The metadata JSON, typed per asset type, so a frontend can select `... on VideoMetadata
 * { durationSeconds }` instead of reading snake_case keys out of JSON. Fields an older upload did
 * not record are null.
 */
@ObjectType("ImageMetadata", { description: "What an image's header and decode told" })
export class ImageMetadataType {
  @Field(() => Int, { description: "Stored width in pixels, before EXIF orientation" }) width: number;
  @Field(() => Int, { description: "Stored height in pixels, before EXIF orientation" }) height: number;
  @Field(() => Int, { nullable: true, description: "Width as displayed, after EXIF orientation" }) displayWidth: number | null;
  @Field(() => Int, { nullable: true, description: "Height as displayed, after EXIF orientation" }) displayHeight: number | null;
  @Field(() => Int, { nullable: true, description: "EXIF orientation, 1-8 (1: as stored)" }) orientation: number | null;
  @Field({ description: "jpeg, png, webp or gif" }) format: string;
  @Field(() => String, { nullable: true, description: "RGB, CMYK, gray…" }) colorSpace: string | null;
  @Field(() => Boolean, { nullable: true, description: "Whether it has an alpha channel" }) hasTransparency: boolean | null;
  @Field(() => Int, { nullable: true, description: "Frames (more than 1 for an animation)" }) frames: number | null;
  @Field(() => Int, { nullable: true, description: "Bits per channel" }) bitDepth: number | null;
  @Field(() => Boolean, { nullable: true, description: "Progressive (or interlaced) encoding" }) progressive: boolean | null;
}

@ObjectType("AudioMetadata", { description: "What ffprobe found in an audio file" })
export class AudioMetadataType {
  @Field(() => Float, { description: "Length in seconds" }) durationSeconds: number;
  @Field(() => Int, { nullable: true, description: "Samples per second" }) sampleRate: number | null;
  @Field(() => Int, { nullable: true, description: "1 mono, 2 stereo…" }) channels: number | null;
  @Field(() => Int, { nullable: true, description: "Bits per second, when known" }) bitrate: number | null;
  @Field(() => String, { nullable: true, description: "mp3, aac, pcm_s16le…" }) codec: string | null;
  @Field(() => Boolean, { nullable: true, description: "Whether the file embeds cover art (its thumbnail and preview are made from it)" }) hasCoverArt: boolean | null;
}

@ObjectType("VideoMetadata", { description: "What ffprobe found in a video file" })
export class VideoMetadataType {
  @Field(() => Float, { description: "Length in seconds" }) durationSeconds: number;
  @Field(() => Int, { description: "Coded width in pixels" }) width: number;
  @Field(() => Int, { description: "Coded height in pixels" }) height: number;
  @Field(() => Int, { nullable: true, description: "Width as displayed (rotation and aspect applied)" }) displayWidth: number | null;
  @Field(() => Int, { nullable: true, description: "Height as displayed" }) displayHeight: number | null;
  @Field(() => Int, { nullable: true, description: "Degrees the player rotates the picture" }) rotation: number | null;
  @Field(() => Float, { nullable: true, description: "Frames per second, when constant" }) fps: number | null;
  @Field(() => String, { nullable: true, description: "h264, hevc, vp9, av1…" }) codec: string | null;
  @Field(() => Boolean, { nullable: true, description: "Whether it has a sound track" }) hasAudio: boolean | null;
  @Field(() => String, { nullable: true, description: "The sound track's codec" }) audioCodec: string | null;
}

@ObjectType("FontMetadata", { description: "What the font's own tables say" })
export class FontMetadataType {
  @Field({ description: "Family name" }) family: string;
  @Field(() => String, { nullable: true, description: "Style within the family (Regular, Bold Italic…)" }) subfamily: string | null;
  @Field({ description: "ttf, otf or woff" }) format: string;
  @Field(() => Int, { nullable: true, description: "How many glyphs it has" }) glyphCount: number | null;
  @Field(() => String, { nullable: true, description: "TrueType or CFF outlines" }) outlineFormat: string | null;
  @Field(() => Boolean, { nullable: true, description: "Whether it is a variable font" }) variable: boolean | null;
}

@ObjectType("LogoMetadata", { description: "A logo: a PNG's image metadata or an SVG's drawing size" })
export class LogoMetadataType {
  @Field({ description: "png or svg" }) format: string;
  @Field(() => Int, { description: "Pixels (an SVG's CSS pixels)" }) width: number;
  @Field(() => Int, { description: "Pixels (an SVG's CSS pixels)" }) height: number;
  @Field({ description: "Whether it scales without loss (SVG)" }) vector: boolean;
  @Field(() => Boolean, { nullable: true, description: "Whether it has transparent areas" }) hasTransparency: boolean | null;
  @Field(() => String, { nullable: true, description: "A PNG's colour space" }) colorSpace: string | null;
}

type Typed = ImageMetadataType | AudioMetadataType | VideoMetadataType | FontMetadataType | LogoMetadataType;

const TYPE_OF: Record<AssetType, new () => Typed> = {
  image: ImageMetadataType,
  audio: AudioMetadataType,
  video: VideoMetadataType,
  font: FontMetadataType,
  logo: LogoMetadataType,
};

// No resolveType: type-graphql's own tells the member by class (instanceof), synchronously, which
// graphql-jit needs (a resolveType given here would be wrapped in an async function).
export const TypedMetadataUnion = createUnionType({
  name: "TypedMetadata",
  description: "An asset's metadata with a type per asset type (ImageMetadata, AudioMetadata, VideoMetadata, FontMetadata, LogoMetadata)",
  types: () => [ImageMetadataType, AudioMetadataType, VideoMetadataType, FontMetadataType, LogoMetadataType] as const,
});

/** snake_case JSON -> the camelCase fields of the asset type's class (a key an older upload lacks reads as null). */
export function typedMetadata(assetType: AssetType, metadata: AssetMetadata): Typed {
  const typed = new TYPE_OF[assetType]();
  const fields = typed as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(metadata)) fields[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  if (typed instanceof LogoMetadataType) typed.vector = metadata.format === "svg";
  return typed;
}
