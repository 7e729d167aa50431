import { Field, ObjectType, registerEnumType } from "type-graphql";
import type { Asset } from "../../assets/entities";
import { bigintToHash } from "../../assets/media/perceptual-hash";
import { COLOR_FAMILIES, type ColorFamily } from "../../assets/media/color-families";
import { enumOf } from "./asset.type";

export const ColorFamilyEnum = enumOf(COLOR_FAMILIES);
registerEnumType(ColorFamilyEnum, { name: "ColorFamily", description: "A dominant colour's family, as a person would name it" });

@ObjectType("Visual", { description: "What the picture looks like: a placeholder to show while it loads, its colours, its perceptual hash" })
export class VisualType {
  @Field({ description: "ThumbHash, base64: thumbhash's thumbHashToDataURL gives a blurred placeholder" })
  thumbhash: string;

  @Field({ description: "The most common colour, #rrggbb" })
  dominantColor: string;

  @Field(() => [String], { description: "Up to five distinct colours, #rrggbb, most common first" })
  palette: string[];

  @Field(() => ColorFamilyEnum, { description: "The dominant colour's family (searchAssets filters on it)" })
  colorFamily: ColorFamily;

  @Field({ description: "64-bit perceptual hash (pHash), 16 hex digits: near-duplicates differ in few bits" })
  perceptualHash: string;
}

/** The asset's stored visual summary in GraphQL's names; null until processed, or with no picture. */
export function visualOf(asset: Pick<Asset, "visual" | "phash">): VisualType | null {
  if (!asset.visual || asset.phash === null) return null;
  const { thumbhash, dominant_color, palette, color_family } = asset.visual;
  return { thumbhash, dominantColor: dominant_color, palette, colorFamily: color_family, perceptualHash: bigintToHash(asset.phash) };
}
