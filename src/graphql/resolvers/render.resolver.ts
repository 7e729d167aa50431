import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Resolver, Root, registerEnumType } from "type-graphql";
import type { Asset } from "../../assets/entities";
import { RENDER_FITS, RENDER_FORMATS, type RenderFit, type RenderFormat } from "../../assets/render/render-params";
import { validationFailed } from "../../errors";
import { caller, changeContext, type GraphQLContext } from "../context";
import { AssetObject, enumOf } from "../types/asset.type";

export const RenderFormatEnum = enumOf(RENDER_FORMATS);
registerEnumType(RenderFormatEnum, { name: "RenderFormat", description: "The encoding of a render" });
export const RenderFitEnum = enumOf(RENDER_FITS);
registerEnumType(RenderFitEnum, { name: "RenderFit", description: "cover crops around the focal point; contain pads; inside keeps the whole picture within the box" });

/** The most widths one srcset may list. */
const MAX_SRCSET_WIDTHS = 16;

@ObjectType("FocalPoint", { description: "Where cover renders keep the subject: fractions of the width and height from the top left" })
export class FocalPointType {
  @Field(() => Float, { description: "0 (left) to 1 (right)" })
  x: number;

  @Field(() => Float, { description: "0 (top) to 1 (bottom)" })
  y: number;
}

@InputType({ description: "A focal point: x and y from 0 to 1" })
export class FocalPointInput {
  @Field(() => Float, { description: "0 (left) to 1 (right)" })
  x: number;

  @Field(() => Float, { description: "0 (top) to 1 (bottom)" })
  y: number;
}

@Resolver(() => AssetObject)
export class RenderResolver {
  @FieldResolver(() => FocalPointType, { nullable: true, description: "Where cover renders keep the subject; null: the centre" })
  focalPoint(@Root() asset: Asset): FocalPointType | null {
    return asset.focalPoint ?? null;
  }

  @FieldResolver(() => String, {
    description: "A srcset of signed renders of the current version, one per width (`url 320w, …`), for `<img srcset>`: images, logos, video posters and font specimens",
  })
  srcset(
    @Root() asset: Asset,
    @Ctx() ctx: GraphQLContext,
    @Arg("widths", () => [Int], { description: `Widths in pixels, 1 to ${MAX_SRCSET_WIDTHS} of them` }) widths: number[],
    @Arg("format", () => RenderFormatEnum, { nullable: true, description: "Default webp" }) format?: RenderFormat | null,
    @Arg("height", () => Int, { nullable: true, description: "With it, every width is cropped (or padded) to this height" }) height?: number | null,
    @Arg("fit", () => RenderFitEnum, { nullable: true, description: "Default cover" }) fit?: RenderFit | null,
  ): string {
    if (widths.length < 1 || widths.length > MAX_SRCSET_WIDTHS) throw validationFailed({ widths: `must list 1 to ${MAX_SRCSET_WIDTHS} widths` });
    return ctx.services.renders.srcset(asset, widths, { format: format ?? undefined, h: height == null ? undefined : String(height), fit: fit ?? undefined });
  }

  @FieldResolver(() => String, { description: "A signed URL of one render of the current version (the REST render parameters)" })
  renderUrl(
    @Root() asset: Asset,
    @Ctx() ctx: GraphQLContext,
    @Arg("width", () => Int, { nullable: true }) width?: number | null,
    @Arg("height", () => Int, { nullable: true }) height?: number | null,
    @Arg("fit", () => RenderFitEnum, { nullable: true }) fit?: RenderFit | null,
    @Arg("format", () => RenderFormatEnum, { nullable: true }) format?: RenderFormat | null,
    @Arg("quality", () => Int, { nullable: true, description: "1-100" }) quality?: number | null,
    @Arg("preset", () => String, { nullable: true, description: "A named size (see the REST render route)" }) preset?: string | null,
  ): string {
    const text = (value: number | null | undefined) => (value == null ? undefined : String(value));
    return ctx.services.renders.signedRenderUrl(asset, { w: text(width), h: text(height), fit: fit ?? undefined, format: format ?? undefined, q: text(quality), preset: preset ?? undefined }).url;
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Set (or with null, clear) the point cover renders keep" })
  setFocalPoint(
    @Arg("id", () => ID, { description: "The asset" }) id: string,
    @Arg("point", () => FocalPointInput, { nullable: true, description: "x and y from 0 to 1; null: the centre" }) point: FocalPointInput | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Asset> {
    return ctx.services.focalPoints.set(caller(ctx).userId, id, point ? { x: point.x, y: point.y } : null, changeContext(ctx));
  }
}
