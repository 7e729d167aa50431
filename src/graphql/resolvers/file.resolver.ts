import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver, registerEnumType } from "type-graphql";
import { VARIANTS } from "../../assets/signed-urls";
import { enumOf } from "../types/asset.type";
import type { SignedUrl } from "../../assets/file-access.service";
import { caller, type GraphQLContext } from "../context";

const SignedUrlVariantEnum = enumOf(VARIANTS);
registerEnumType(SignedUrlVariantEnum, { name: "SignedUrlVariant", description: "Which file a signed URL opens: the ORIGINAL, or one of its derivatives" });

@ObjectType("SignedUrl", { description: "A URL that opens one file without a token until it expires" })
class SignedUrlObject {
  @Field({ description: "Open it with no Authorization header" }) url: string;
  @Field({ description: "When it stops working" }) expiresAt: Date;
}

@Resolver()
export class FileResolver {
  @Authorized()
  @Mutation(() => SignedUrlObject, { description: "A URL that opens one of the asset's files without a token, for a while" })
  createSignedUrl(
    @Arg("assetId", () => ID, { description: "The asset's id" }) assetId: string,
    @Ctx() ctx: GraphQLContext,
    @Arg("variant", () => SignedUrlVariantEnum, { nullable: true, description: "ORIGINAL when omitted" }) variant?: string | null,
    @Arg("versionNumber", () => Int, { nullable: true, description: "A version other than the current one" }) versionNumber?: number | null,
    @Arg("expiresIn", () => Int, { nullable: true, description: "Seconds; up to SIGNED_URL_MAX_SECONDS" }) expiresIn?: number | null,
  ): Promise<SignedUrl> {
    return ctx.services.files.createSignedUrl(caller(ctx).userId, assetId, {
      variant: variant ?? undefined,
      versionNumber: versionNumber ?? undefined,
      expiresIn: expiresIn ?? undefined,
    });
  }
}
