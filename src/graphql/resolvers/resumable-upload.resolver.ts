import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import type { ResumableUploadState } from "../../assets/resumable/resumable-uploads.service";
import { caller, type GraphQLContext } from "../context";
import { ResumableUploadObject } from "../types/resumable-upload.type";

@Resolver(() => ResumableUploadObject)
export class ResumableUploadResolver {
  @Authorized()
  @Query(() => ResumableUploadObject, { nullable: true, description: "One of the caller's resumable (tus) uploads: its progress, or the asset or refusal it ended in; null (with NOT_FOUND in errors) for any other id" })
  resumableUpload(@Arg("id", () => ID, { description: "The upload's id: the last segment of its URL" }) id: string, @Ctx() ctx: GraphQLContext): Promise<ResumableUploadState> {
    return ctx.services.resumableUploads.state(caller(ctx).userId, id);
  }
}
